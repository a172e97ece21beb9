/**
 * CIFAR-10's binary version: data_batch_1.bin … data_batch_5.bin and test_batch.bin, each a run
 * of records of one label byte and 3 × 32 × 32 bytes (the red, green and blue planes, row-major),
 * and batches.meta.txt naming the classes one a line. The planes are already the engine's
 * [channels, height, width] layout, so a record's pixels are copied as they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from './idx.ts';
import type { Split } from './mnist.ts';

export const CIFAR_SHAPE = [3, 32, 32] as const;
const RECORD = 1 + CIFAR_SHAPE[0] * CIFAR_SHAPE[1] * CIFAR_SHAPE[2];
export const CIFAR_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR_TEST_FILE = 'test_batch.bin';
export const CIFAR_META_FILE = 'batches.meta.txt';
/** The names batches.meta.txt holds in the published archive, used when the file is absent. */
export const CIFAR_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export interface Cifar {
  train: Split;
  test: Split;
  classes: string[];
}

/** The class names of batches.meta.txt (blank lines dropped), or CIFAR-10's own when there is none. */
export function readCifarClasses(dir: string): string[] {
  const path = join(dir, CIFAR_META_FILE);
  if (!existsSync(path)) return CIFAR_CLASSES;
  const names = readFileSync(path, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (names.length < 2 || names.length > 256) throw new DataError(path, `lists ${names.length} class names, expected 2 to 256 (one a line)`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new DataError(path, `names the class "${dup}" twice`);
  return names;
}

/** Parses the records of one batch file; `name` is only used in error messages. */
export function parseCifarBatch(bytes: Uint8Array, name: string, classes: number): Split {
  if (bytes.length === 0) throw new DataError(name, `empty: expected records of ${RECORD} bytes (a label byte, then 3×32×32 pixel bytes)`);
  if (bytes.length % RECORD !== 0) {
    throw new DataError(name, `truncated or wrong record size: ${bytes.length} bytes is not a whole number of ${RECORD}-byte records (a label byte, then 3×32×32 pixel bytes); ${Math.floor(bytes.length / RECORD)} whole records and ${bytes.length % RECORD} bytes left over`);
  }
  const count = bytes.length / RECORD;
  const per = RECORD - 1;
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * per);
  for (let i = 0; i < count; i++) {
    const label = bytes[i * RECORD];
    if (label >= classes) throw new DataError(name, `record ${i} has label ${label}, expected 0–${classes - 1} (${classes} classes)`);
    labels[i] = label;
    pixels.set(bytes.subarray(i * RECORD + 1, (i + 1) * RECORD), i * per);
  }
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i] / 255;
  return { images, pixels, labels, count };
}

function readBatch(path: string, classes: number): Split {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DataError(path, `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseCifarBatch(bytes, path, classes);
}

function concat(parts: Split[]): Split {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const per = CIFAR_SHAPE[0] * CIFAR_SHAPE[1] * CIFAR_SHAPE[2];
  const out: Split = { images: new Float32Array(count * per), pixels: new Uint8Array(count * per), labels: new Uint8Array(count), count };
  let at = 0;
  for (const p of parts) {
    out.images.set(p.images, at * per);
    out.pixels.set(p.pixels, at * per);
    out.labels.set(p.labels, at);
    at += p.count;
  }
  return out;
}

/**
 * The training batches present in `dir` (at least data_batch_1.bin; a subset is allowed, as a
 * quick run may ship only one) and test_batch.bin, which is required.
 */
export function loadCifar10(dir: string): Cifar {
  const classes = readCifarClasses(dir);
  const trainFiles = CIFAR_TRAIN_FILES.filter((f) => existsSync(join(dir, f)));
  const missing = [...(trainFiles.length ? [] : [CIFAR_TRAIN_FILES[0]]), ...(existsSync(join(dir, CIFAR_TEST_FILE)) ? [] : [CIFAR_TEST_FILE])];
  if (missing.length) {
    throw new DataError(join(dir, missing[0]), `file not found: --dataset cifar10 reads CIFAR-10's binary version from --data DIR: put ${CIFAR_TRAIN_FILES[0]} … ${CIFAR_TRAIN_FILES.at(-1)}, ${CIFAR_TEST_FILE} and ${CIFAR_META_FILE} (from the archive "CIFAR-10 binary version", cifar-10-binary.tar.gz, folder cifar-10-batches-bin) in ${dir}; wgnn downloads nothing`);
  }
  return { train: concat(trainFiles.map((f) => readBatch(join(dir, f), classes.length))), test: readBatch(join(dir, CIFAR_TEST_FILE), classes.length), classes };
}
