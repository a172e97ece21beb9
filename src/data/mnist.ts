import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_INPUT } from '../layers/presets.ts';
import { DataError, readIdx } from './idx.ts';

export const IMAGE_SIZE = MNIST_INPUT.shape[1];
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = MNIST_INPUT.classes;

export interface Split {
  /** count × (channels × height × width) pixels scaled to [0, 1], each image's channels as planes. */
  images: Float32Array;
  /** The same pixels as stored, 0–255: a quarter of the bytes when uploading to a device. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Mnist {
  train: Split;
  test: Split;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/**
 * The copy of MNIST shipped with wgnn (data/mnist, gzipped as LeCun's originals: 11 MB instead of
 * 53), so training never needs the network. Found from this module in src/ and in dist/ alike.
 */
export const MNIST_DIR = fileURLToPath(new URL('../../data/mnist/', import.meta.url));

/** Finds `name` or `name.gz` in `dir`, preferring the plain file. */
function locate(dir: string, name: string): string {
  const plain = join(dir, name);
  if (existsSync(plain)) return plain;
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return gz;
  throw new DataError(plain, `file not found (nor ${name}.gz)`);
}

/** What an IDX image set must hold: images of `side` (any size when absent), labels below `classes`. */
export interface IdxExpectation {
  side?: readonly [number, number];
  classes: number;
}

/** An IDX pair of images (count × rows × cols bytes) and labels (count bytes), checked against `expect`. */
export function loadIdxSplit(dir: string, names: { images: string; labels: string }, expect: IdxExpectation): Split {
  const imagesPath = locate(dir, names.images);
  const labelsPath = locate(dir, names.labels);
  const images = readIdx(imagesPath, 3);
  const labels = readIdx(labelsPath, 1);
  const [count, rows, cols] = images.dims;
  if (expect.side && (rows !== expect.side[0] || cols !== expect.side[1])) {
    throw new DataError(imagesPath, `images are ${rows}×${cols}, expected ${expect.side[0]}×${expect.side[1]}`);
  }
  if (labels.dims[0] !== count) {
    throw new DataError(
      imagesPath,
      `holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels; the counts must match`,
    );
  }
  const bad = labels.data.findIndex((label) => label >= expect.classes);
  if (bad >= 0) {
    throw new DataError(labelsPath, `label at index ${bad} is ${labels.data[bad]}, expected 0–${expect.classes - 1}`);
  }
  const scaled = new Float32Array(images.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i] / 255;
  return { images: scaled, pixels: images.data, labels: labels.data, count };
}

/** MNIST's file names, which Fashion-MNIST and any other IDX set in MNIST's layout share. */
export const IDX_FILES = FILES;

/** Loads MNIST from `dir` (standard IDX names, plain or .gz) or, without one, from the bundled copy. */
export function loadMnist(dir?: string): Mnist {
  const root = dir ?? MNIST_DIR;
  const expect = { side: [IMAGE_SIZE, IMAGE_SIZE], classes: CLASSES } as const;
  return { train: loadIdxSplit(root, FILES.train, expect), test: loadIdxSplit(root, FILES.test, expect) };
}

/** Examples [start, end) of a split, as views that share its memory. */
function slice(split: Split, start: number, end: number): Split {
  const per = split.images.length / Math.max(1, split.count);
  return {
    images: split.images.subarray(start * per, end * per),
    pixels: split.pixels.subarray(start * per, end * per),
    labels: split.labels.subarray(start, end),
    count: end - start,
  };
}

/**
 * Holds out the last `fraction` of a split, as Keras's validation_split does (no shuffle), so runs
 * compare against the same validation examples.
 */
export function splitValidation(split: Split, fraction: number): { train: Split; val: Split } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(`validation fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  }
  const at = Math.floor(split.count * (1 - fraction));
  return { train: slice(split, 0, at), val: slice(split, at, split.count) };
}

/** The first `n` examples (all of them when the split is smaller), for quick runs. */
export function limit(split: Split, n: number): Split {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`example limit must be a non-negative integer, got ${n}`);
  }
  return slice(split, 0, Math.min(n, split.count));
}
