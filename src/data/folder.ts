/**
 * A folder of pictures, one sub-folder per class (the sub-folder's name is the class's), PNG or
 * JPEG of any size, each resized to the model's [channels, height, width]. Either the folder holds
 * train/ and test/ (and optionally val/), each with the class sub-folders, or it holds the class
 * sub-folders themselves and every fifth picture of each class in name order is the test set.
 * Training pictures are put in an order fixed by a hash of their paths inside the folder (class/
 * name), so that a validation split taken from the end (as Keras's is) holds every class rather
 * than the last one, and the same pictures give the same run wherever the folder lies.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { hash32 } from '../kernels/random.ts';
import { decodeImage } from '../image/decode.ts';
import { toPlanes } from '../image/planes.ts';
import { DataError } from './idx.ts';
import type { Split } from './mnist.ts';

const PICTURE = /\.(png|jpe?g)$/i;
/** Every n-th picture of a class (in name order) is a test picture when the folder has no test/. */
const TEST_EVERY = 5;

export interface ImageFolder {
  train: Split;
  val?: Split;
  test: Split;
  classes: string[];
}

interface Entry {
  file: string;
  label: number;
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The class sub-folders of `dir` in name order, each with its pictures in name order. */
function classFolders(dir: string): { classes: string[]; files: string[][] } {
  const classes = readdirSync(dir).filter((n) => !n.startsWith('.') && isDir(join(dir, n))).sort(byName);
  if (classes.length < 2) throw new DataError(dir, `holds ${classes.length} class sub-folder${classes.length === 1 ? '' : 's'}; --dataset folder needs one sub-folder of PNG or JPEG pictures per class, at least two classes (or train/ and test/ folders that each hold them)`);
  if (classes.length > 256) throw new DataError(dir, `holds ${classes.length} class sub-folders; at most 256 classes are read`);
  const files = classes.map((c) => {
    const found = readdirSync(join(dir, c)).filter((f) => PICTURE.test(f)).sort(byName).map((f) => join(dir, c, f));
    if (found.length === 0) throw new DataError(join(dir, c), 'empty class folder: it holds no .png, .jpg or .jpeg pictures');
    return found;
  });
  return { classes, files };
}

function pack(entries: Entry[], shape: readonly number[]): Split {
  const per = shape.reduce((p, d) => p * d, 1);
  const images = new Float32Array(entries.length * per);
  entries.forEach((e, i) => images.set(toPlanes(decodeImage(readFileSync(e.file), e.file), shape), i * per));
  const pixels = new Uint8Array(images.length);
  for (let i = 0; i < images.length; i++) pixels[i] = Math.round(images[i] * 255);
  return { images, pixels, labels: Uint8Array.from(entries, (e) => e.label), count: entries.length };
}

/** `entries` in the order of a hash of their paths below `root`, written with '/' on every platform. */
function hashOrder(entries: Entry[], root: string): Entry[] {
  const key = (file: string) => hash32(fnv(relative(root, file).split(sep).join('/')));
  return entries.map((e) => ({ e, k: key(e.file) })).sort((a, b) => a.k - b.k || byName(a.e.file, b.e.file)).map((x) => x.e);
}

/** FNV-1a of a string: a stable key for the training order. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function entries(f: { files: string[][] }, keep: (i: number) => boolean = () => true): Entry[] {
  return f.files.flatMap((list, label) => list.filter((_, i) => keep(i)).map((file) => ({ file, label })));
}

/** Loads `dir` with every picture resized to `shape` ([channels, height, width], 1 or 3 channels). */
export function loadImageFolder(dir: string, shape: readonly number[]): ImageFolder {
  if (!isDir(dir)) throw new DataError(dir, 'directory not found: --dataset folder reads --data DIR holding one sub-folder of PNG or JPEG pictures per class (e.g. DIR/cat/1.png, DIR/dog/1.jpg), or DIR/train/ and DIR/test/ (and DIR/val/) that each hold them');
  if (isDir(join(dir, 'train')) || isDir(join(dir, 'test'))) {
    for (const part of ['train', 'test']) if (!isDir(join(dir, part))) throw new DataError(join(dir, part), `directory not found: a folder with ${part === 'train' ? 'test' : 'train'}/ needs ${part}/ too, with the same class sub-folders`);
    const train = classFolders(join(dir, 'train'));
    const parts = { test: classFolders(join(dir, 'test')), ...(isDir(join(dir, 'val')) ? { val: classFolders(join(dir, 'val')) } : {}) };
    for (const [part, f] of Object.entries(parts)) {
      if (f.classes.join('\n') !== train.classes.join('\n')) throw new DataError(join(dir, part), `has classes ${f.classes.join(', ')}; train/ has ${train.classes.join(', ')}: they must be the same`);
    }
    return { train: pack(hashOrder(entries(train), join(dir, 'train')), shape), ...(parts.val ? { val: pack(entries(parts.val), shape) } : {}), test: pack(entries(parts.test), shape), classes: train.classes };
  }
  const f = classFolders(dir);
  const isTest = (i: number) => i % TEST_EVERY === TEST_EVERY - 1;
  return { train: pack(hashOrder(entries(f, (i) => !isTest(i)), dir), shape), test: pack(entries(f, isTest), shape), classes: f.classes };
}
