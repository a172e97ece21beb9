import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR_CLASSES, parseCifarBatch } from '../src/data/cifar10.ts';
import { FASHION_CLASSES, loadImageDataset, requireData } from '../src/data/image-dataset.ts';
import { Rng } from '../src/kernels/random.ts';
import { CropFlip, makeAugmenter } from '../src/train/augment.ts';
import { cifarBatch, COLOUR_NAMES, idxBytes, planesToPng, shapePlanes, writeCifarDir, writeIdxDir, writeImageFolder } from './colour-data.ts';

const root = mkdtempSync(join(tmpdir(), 'wgnn-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(root, `${n++}-${name}`);

describe('CIFAR-10 binary batches', () => {
  it('reads records as [3, 32, 32] planes with their labels and the names of batches.meta.txt', () => {
    const dir = fresh('cifar');
    writeCifarDir(dir, { batches: 2, perBatch: 7, test: 5 });
    const set = loadImageDataset('cifar10', { data: dir });
    expect(set.shape).toEqual([3, 32, 32]);
    expect(set.classes).toEqual(COLOUR_NAMES);
    expect([set.train.count, set.test.count]).toEqual([14, 5]);
    // The second batch follows the first; each record's bytes are its planes, scaled to [0, 1].
    const second = cifarBatch(7, 2);
    expect(set.train.labels[7]).toBe(second[0]);
    expect(set.train.images[7 * 3072 + 1024 + 5]).toBeCloseTo(second[1 + 1024 + 5] / 255, 6);
    expect(set.normalization.std).toBeGreaterThan(0);
  });

  it('falls back to CIFAR-10\'s class names without batches.meta.txt, and reads a subset of the training batches', () => {
    const dir = fresh('cifar-nometa');
    writeCifarDir(dir, { batches: 1, perBatch: 3, test: 2 });
    rmSync(join(dir, 'batches.meta.txt'));
    const set = loadImageDataset('cifar10', { data: dir });
    expect(set.classes).toEqual(CIFAR_CLASSES);
    expect(set.train.count).toBe(3);
  });

  it('refuses a truncated batch, a wrong record size, an empty file and a label past the class count, naming the file', () => {
    const good = cifarBatch(3, 1);
    expect(() => parseCifarBatch(good.subarray(0, good.length - 100), 'b.bin', 10)).toThrow(/^b\.bin: truncated or wrong record size: 9119 bytes is not a whole number of 3073-byte records .* 2 whole records and 2973 bytes left over$/);
    // Grey 32×32 records (1 + 1024 bytes) are not CIFAR's.
    expect(() => parseCifarBatch(new Uint8Array(3 * 1025), 'grey.bin', 10)).toThrow(/^grey\.bin: truncated or wrong record size: 3075 bytes/);
    expect(() => parseCifarBatch(new Uint8Array(0), 'empty.bin', 10)).toThrow(/^empty\.bin: empty: expected records of 3073 bytes/);
    const bad = good.slice();
    bad[3073] = 10;
    expect(() => parseCifarBatch(bad, 'l.bin', 10)).toThrow('l.bin: record 1 has label 10, expected 0–9 (10 classes)');
    // The class count is the meta file's: three names make label 5 wrong.
    const dir = fresh('cifar-3');
    writeCifarDir(dir, { batches: 1, perBatch: 8, test: 2 });
    writeFileSync(join(dir, 'batches.meta.txt'), 'a\nb\nc\n');
    expect(() => loadImageDataset('cifar10', { data: dir })).toThrow(/data_batch_1\.bin: record \d+ has label \d, expected 0–2 \(3 classes\)/);
    writeFileSync(join(dir, 'batches.meta.txt'), 'a\nb\na\n');
    expect(() => loadImageDataset('cifar10', { data: dir })).toThrow(/batches\.meta\.txt: names the class "a" twice/);
  });

  it('says which files to put where when the data is missing, and downloads nothing', () => {
    expect(() => loadImageDataset('cifar10')).toThrow(/^--dataset cifar10 needs --data DIR: .*data_batch_1\.bin … data_batch_5\.bin, test_batch\.bin.*; wgnn downloads nothing$/);
    expect(() => loadImageDataset('cifar10', { data: join(root, 'nowhere') })).toThrow(/nowhere: directory not found: put CIFAR-10's binary version there/);
    const dir = fresh('cifar-notest');
    writeCifarDir(dir, { batches: 1, perBatch: 2, test: 1 });
    rmSync(join(dir, 'test_batch.bin'));
    expect(() => loadImageDataset('cifar10', { data: dir })).toThrow(/test_batch\.bin: file not found: --dataset cifar10 reads .* wgnn downloads nothing/);
  });
});

describe('Fashion-MNIST and other IDX sets', () => {
  it('reads Fashion-MNIST with its class names, and an IDX set of any size with as many classes as its labels', () => {
    const dir = fresh('fashion');
    writeIdxDir(dir, { train: 20, test: 10, h: 28, w: 28, classes: 10 });
    const fashion = loadImageDataset('fashion-mnist', { data: dir });
    expect(fashion.classes).toEqual(FASHION_CLASSES);
    expect(fashion.shape).toEqual([1, 28, 28]);
    const small = fresh('idx');
    writeIdxDir(small, { train: 12, test: 6, h: 12, w: 9, classes: 4 });
    const idx = loadImageDataset('idx', { data: small });
    expect(idx.shape).toEqual([1, 12, 9]);
    expect(idx.classes).toEqual(['0', '1', '2', '3']);
    expect(idx.train.count).toBe(12);
  });

  it('refuses a label past Fashion-MNIST\'s ten classes, images of another size, and missing files with where to put them', () => {
    const dir = fresh('fashion-bad');
    writeIdxDir(dir, { train: 4, test: 2, h: 28, w: 28, classes: 2 });
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes([2], Uint8Array.of(3, 10)));
    expect(() => loadImageDataset('fashion-mnist', { data: dir })).toThrow(/t10k-labels-idx1-ubyte: label at index 1 is 10, expected 0–9/);
    const odd = fresh('fashion-size');
    writeIdxDir(odd, { train: 4, test: 2, h: 20, w: 20, classes: 2 });
    expect(() => loadImageDataset('fashion-mnist', { data: odd })).toThrow(/train-images-idx3-ubyte: images are 20×20, expected 28×28/);
    expect(() => loadImageDataset('fashion-mnist')).toThrow(/^--dataset fashion-mnist needs --data DIR: .*train-images-idx3-ubyte.*wgnn downloads nothing$/);
    const half = fresh('fashion-half');
    writeIdxDir(half, { train: 4, test: 2, h: 28, w: 28, classes: 2 });
    rmSync(join(half, 't10k-images-idx3-ubyte'));
    expect(() => loadImageDataset('fashion-mnist', { data: half })).toThrow(/t10k-images-idx3-ubyte: file not found: --dataset fashion-mnist reads/);
  });
});

describe('a folder of pictures per class', () => {
  it('resizes every picture to the shape asked for, holds out every fifth of each class for the test, and mixes the classes in training', () => {
    const dir = fresh('folder');
    writeImageFolder(dir, { classes: 3, perClass: 10, h: 40, w: 30 });
    const set = loadImageDataset('folder', { data: dir, shape: [3, 16, 16] });
    expect(set.classes).toEqual(['orange', 'red', 'yellow']);
    expect(set.shape).toEqual([3, 16, 16]);
    expect([set.train.count, set.test.count]).toEqual([24, 6]);
    expect(set.train.images.length).toBe(24 * 3 * 16 * 16);
    expect(Array.from(set.test.labels)).toEqual([0, 0, 1, 1, 2, 2]);
    // The last quarter of the training order (a validation split) holds more than one class.
    expect(new Set(set.train.labels.subarray(18)).size).toBeGreaterThan(1);
    const grey = loadImageDataset('folder', { data: dir, shape: [1, 8, 8] });
    expect(grey.train.images.length).toBe(24 * 64);
  });

  it('keeps a picture\'s colours through the resize', () => {
    const dir = fresh('folder-colour');
    for (const [name, rgb] of [['red', [255, 0, 0]], ['blue', [0, 0, 255]]] as const) {
      mkdirSync(join(dir, name), { recursive: true });
      const planes = new Uint8Array(3 * 20 * 20);
      for (let c = 0; c < 3; c++) planes.fill(rgb[c], c * 400, (c + 1) * 400);
      writeFileSync(join(dir, name, 'a.png'), planesToPng(planes, 20, 20));
    }
    const set = loadImageDataset('folder', { data: dir, shape: [3, 4, 4] });
    const first = Array.from(set.train.images.subarray(0, 48));
    const label = set.train.labels[0];
    expect(first.slice(0, 16).every((v) => v === (label === 1 ? 1 : 0))).toBe(true);
    expect(first.slice(32).every((v) => v === (label === 0 ? 1 : 0))).toBe(true);
  });

  it('uses train/, test/ and val/ when the folder has them', () => {
    const dir = fresh('folder-split');
    for (const [part, per] of [['train', 4], ['val', 2], ['test', 3]] as const) writeImageFolder(join(dir, part), { classes: 2, perClass: per, h: 8, w: 8 });
    const set = loadImageDataset('folder', { data: dir, shape: [3, 8, 8] });
    expect([set.train.count, set.val?.count, set.test.count]).toEqual([8, 4, 6]);
  });

  it('refuses an empty class folder, a single class, mismatched splits, a broken picture and a missing folder, naming the path', () => {
    const dir = fresh('folder-empty');
    writeImageFolder(dir, { classes: 2, perClass: 2, h: 8, w: 8 });
    mkdirSync(join(dir, 'zebra'));
    expect(() => loadImageDataset('folder', { data: dir })).toThrow(/zebra: empty class folder: it holds no \.png, \.jpg or \.jpeg pictures$/);
    const one = fresh('folder-one');
    writeImageFolder(one, { classes: 1, perClass: 2, h: 8, w: 8 });
    expect(() => loadImageDataset('folder', { data: one })).toThrow(/holds 1 class sub-folder; --dataset folder needs one sub-folder of PNG or JPEG pictures per class, at least two classes/);
    const split = fresh('folder-mismatch');
    writeImageFolder(join(split, 'train'), { classes: 3, perClass: 2, h: 8, w: 8 });
    writeImageFolder(join(split, 'test'), { classes: 2, perClass: 2, h: 8, w: 8 });
    expect(() => loadImageDataset('folder', { data: split })).toThrow(/test: has classes orange, red; train\/ has orange, red, yellow: they must be the same/);
    const broken = fresh('folder-broken');
    writeImageFolder(broken, { classes: 2, perClass: 2, h: 8, w: 8 });
    writeFileSync(join(broken, 'red', 'zz.png'), 'not a picture');
    expect(() => loadImageDataset('folder', { data: broken })).toThrow(/red\/zz\.png: not a PNG or JPEG file/);
    expect(() => loadImageDataset('folder', { data: join(root, 'absent') })).toThrow(/absent: directory not found: --dataset folder reads --data DIR holding one sub-folder/);
    expect(() => loadImageDataset('folder')).toThrow(/^--dataset folder needs --data DIR: .*wgnn downloads nothing$/);
    // train asks before it makes a run directory; MNIST alone is embedded.
    expect(() => requireData('folder', undefined)).toThrow(/^--dataset folder needs --data DIR/);
    expect(() => requireData('mnist', undefined)).not.toThrow();
  });
});

describe('crop-flip augmentation', () => {
  const image = (c: number, h: number, w: number, seed: number) => {
    const rng = new Rng(seed);
    return Float32Array.from({ length: c * h * w }, () => rng.next());
  };

  it('is the same for the same seed and step, and different for another', () => {
    const x = image(3, 9, 7, 1);
    const run = (seed: number, step: number) => {
      const y = new Float32Array([...x, ...x, ...x, ...x]);
      new CropFlip(3, 9, 7, 2, seed).apply(y, 4, step);
      return y;
    };
    expect(run(5, 3)).toEqual(run(5, 3));
    expect(run(5, 4)).not.toEqual(run(5, 3));
    expect(run(6, 3)).not.toEqual(run(5, 3));
  });

  it('without padding either keeps an image or mirrors every channel of it left to right', () => {
    const [c, h, w] = [3, 5, 6];
    const x = image(c, h, w, 2);
    const mirrored = new Float32Array(x.length);
    for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let i = 0; i < w; i++) mirrored[(ch * h + y) * w + i] = x[(ch * h + y) * w + (w - 1 - i)];
    const seen = new Set<string>();
    for (let step = 0; step < 12; step++) {
      const y = x.slice();
      new CropFlip(c, h, w, 0, 9).apply(y, 1, step);
      const same = y.every((v, i) => v === x[i]);
      expect(same || y.every((v, i) => v === mirrored[i])).toBe(true);
      seen.add(same ? 'kept' : 'flipped');
    }
    expect(seen).toEqual(new Set(['kept', 'flipped']));
  });

  it('shifts by at most the padding, filling with black, the same shift for every channel', () => {
    const [c, h, w] = [3, 8, 8];
    const ones = new Float32Array(c * h * w).fill(1);
    for (let step = 0; step < 20; step++) {
      const y = ones.slice();
      new CropFlip(c, h, w, 2, 3).apply(y, 1, step);
      const lit = (ch: number) => y.subarray(ch * h * w, (ch + 1) * h * w).reduce((s, v) => s + v, 0);
      expect(lit(0)).toBeGreaterThanOrEqual(6 * 6);
      expect(lit(1)).toBe(lit(0));
      expect(lit(2)).toBe(lit(0));
    }
  });

  it('refuses the digit distortions on colour images', () => {
    expect(() => makeAugmenter('affine', [3, 32, 32], 0)).toThrow('--augment affine distorts the strokes of one-channel digit images; for 3-channel images use --augment crop-flip');
    expect(makeAugmenter('crop-flip', [1, 28, 28], 0)).toBeInstanceOf(CropFlip);
  });
});

it('draws the stand-in shapes in their class colour', () => {
  const planes = shapePlanes(6, 16, 16, new Rng(1));
  const lit = Array.from({ length: 256 }, (_, i) => i).filter((i) => planes[i] === 40 && planes[256 + i] === 110 && planes[512 + i] === 240);
  expect(lit.length).toBeGreaterThan(4);
});
