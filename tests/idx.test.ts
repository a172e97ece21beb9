import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, parseIdx, readIdx } from '../src/data/idx.ts';
import { limit, loadMnist, splitValidation, type Mnist } from '../src/data/mnist.ts';

/** Builds an IDX file of unsigned bytes with the given dims. */
function idx(dims: number[], data: Uint8Array, magic = 0x0800 | dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

const NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** A small, valid MNIST directory: `n` training and `n` test examples, with per-file overrides. */
function writeDataset(dir: string, n: number, overrides: Partial<Record<keyof typeof NAMES, Uint8Array>> = {}): void {
  const images = idx([n, 28, 28], new Uint8Array(n * 784).map((_, i) => i % 256));
  const labels = idx([n], new Uint8Array(n).map((_, i) => i % 10));
  const files = { trainImages: images, trainLabels: labels, testImages: images, testLabels: labels, ...overrides };
  for (const [key, bytes] of Object.entries(files)) {
    writeFileSync(join(dir, NAMES[key as keyof typeof NAMES]), bytes);
  }
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-idx-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const freshDir = (): string => mkdtempSync(join(tmp, 'case-'));

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError, none was thrown');
}

describe('bundled MNIST', () => {
  let mnist: Mnist;
  beforeAll(() => {
    mnist = loadMnist();
  });

  it('has 60000 training and 10000 test examples of 784 pixels', () => {
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    expect(mnist.train.images.length).toBe(60000 * 784);
    expect(mnist.test.labels.length).toBe(10000);
  });

  it('starts with the well-known labels and scales pixels to [0, 1]', () => {
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(mnist.test.labels[0]).toBe(7);
    let min = Infinity;
    let max = -Infinity;
    const images = mnist.train.images;
    for (let i = 0; i < images.length; i++) {
      const v = images[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(mnist.train.images[200]).toBeCloseTo(mnist.train.pixels[200] / 255, 7);
  });

  it('holds out the last fraction as validation, like Keras', () => {
    const { train, val } = splitValidation(mnist.train, 0.1);
    expect(train.count).toBe(54000);
    expect(val.count).toBe(6000);
    expect(val.labels[0]).toBe(mnist.train.labels[54000]);
    expect(val.images.length).toBe(6000 * 784);
    expect(val.images[0]).toBe(mnist.train.images[54000 * 784]);
    expect(() => splitValidation(mnist.train, 1)).toThrow(/between 0 and 1/);
  });

  it('limits a split to its first examples', () => {
    const small = limit(mnist.test, 100);
    expect(small.count).toBe(100);
    expect(small.images.length).toBe(100 * 784);
    expect(small.labels[0]).toBe(7);
    expect(limit(small, 1000).count).toBe(100);
  });
});

describe('IDX reader', () => {
  it('reads gzipped files the same as plain ones', () => {
    const dir = freshDir();
    writeDataset(dir, 3);
    const plain = loadMnist(dir);
    const gzDir = freshDir();
    for (const name of Object.values(NAMES)) {
      writeFileSync(join(gzDir, `${name}.gz`), gzipSync(readFileSync(join(dir, name))));
    }
    const gz = loadMnist(gzDir);
    expect(gz.train.count).toBe(3);
    expect(Array.from(gz.train.labels)).toEqual(Array.from(plain.train.labels));
    expect(gz.test.images).toEqual(plain.test.images);
  });

  it('parses a 2-D IDX without an expected rank', () => {
    const { dims, data } = parseIdx(idx([2, 3], new Uint8Array([1, 2, 3, 4, 5, 6])), 'mem');
    expect(dims).toEqual([2, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names a missing file', () => {
    const err = errorOf(() => readIdx(join(tmp, 'nope-idx1-ubyte')));
    expect(err.message).toMatch(/nope-idx1-ubyte: file not found/);
    const dir = freshDir();
    expect(errorOf(() => loadMnist(dir)).message).toMatch(/train-images-idx3-ubyte: file not found \(nor .*\.gz\)/);
  });

  it('reports a truncated file with the expected and found sizes', () => {
    const dir = freshDir();
    const full = idx([2, 28, 28], new Uint8Array(2 * 784));
    writeDataset(dir, 2, { trainImages: full.subarray(0, full.length - 10) });
    expect(errorOf(() => loadMnist(dir)).message).toMatch(
      /train-images-idx3-ubyte: truncated: dims \[2, 28, 28\] need 1584 bytes, found 1574/,
    );
  });

  it('reports trailing bytes', () => {
    const err = errorOf(() => parseIdx(idx([2], new Uint8Array(3)), 'labels'));
    expect(err.message).toMatch(/labels: trailing bytes: dims \[2\] need 10 bytes, found 11/);
  });

  it('reports a wrong magic number with the one expected', () => {
    const dir = freshDir();
    writeDataset(dir, 2, { trainImages: idx([2, 28, 28], new Uint8Array(2 * 784), 0x12345678) });
    expect(errorOf(() => loadMnist(dir)).message).toMatch(
      /train-images-idx3-ubyte: wrong magic number 0x12345678, expected 0x00000803/,
    );
    // Labels where images belong: right dtype, wrong rank.
    const swapped = freshDir();
    writeDataset(swapped, 2, { testImages: idx([2], new Uint8Array(2)) });
    expect(errorOf(() => loadMnist(swapped)).message).toMatch(
      /t10k-images-idx3-ubyte: wrong magic number 0x00000801 \(1 dims\), expected 0x00000803/,
    );
  });

  it('reports an unsupported dtype', () => {
    const err = errorOf(() => parseIdx(idx([1], new Uint8Array(4), 0x0d01), 'floats'));
    expect(err.message).toMatch(/floats: unsupported dtype 0x0d \(float32\), expected 0x08/);
  });

  it('reports corrupt gzip', () => {
    const gz = gzipSync(idx([4], new Uint8Array(4)));
    const err = errorOf(() => parseIdx(gz.subarray(0, gz.length - 6), 'labels.gz'));
    expect(err.message).toMatch(/labels.gz: corrupt gzip data/);
  });

  it('rejects images that are not 28×28', () => {
    const dir = freshDir();
    writeDataset(dir, 2, { trainImages: idx([2, 14, 14], new Uint8Array(2 * 196)) });
    expect(errorOf(() => loadMnist(dir)).message).toMatch(/train-images-idx3-ubyte: images are 14×14, expected 28×28/);
  });

  it('names both files when image and label counts differ', () => {
    const dir = freshDir();
    writeDataset(dir, 3, { trainLabels: idx([2], new Uint8Array([1, 2])) });
    expect(errorOf(() => loadMnist(dir)).message).toMatch(
      /train-images-idx3-ubyte: holds 3 images but .*train-labels-idx1-ubyte holds 2 labels/,
    );
  });

  it('rejects a label outside 0–9', () => {
    const dir = freshDir();
    writeDataset(dir, 3, { testLabels: idx([3], new Uint8Array([1, 12, 3])) });
    expect(errorOf(() => loadMnist(dir)).message).toMatch(
      /t10k-labels-idx1-ubyte: label at index 1 is 12, expected 0–9/,
    );
  });
});

