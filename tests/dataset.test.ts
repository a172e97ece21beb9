/** BatchLoader: the batches it uploads, in stored and shuffled order, with a transform, and its bounds. */
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { setBackend } from '../src/tensor/context.ts';
import { BatchLoader, makeBatch, type Examples } from '../src/train/dataset.ts';

setBackend(new ReferenceBackend());

// 7 examples of 2×3 pixels: example e holds e + 0.01·i at pixel i, label e.
const data: Examples = {
  images: Float32Array.from({ length: 7 * 6 }, (_, j) => Math.floor(j / 6) + 0.01 * (j % 6)),
  labels: Uint8Array.from({ length: 7 }, (_, e) => e),
  count: 7,
};
const firstPixels = async (x: { read(): Promise<ArrayLike<number>> }) => Array.from(await x.read()).filter((_, j) => j % 6 === 0).map((v) => Math.round(v));

describe('BatchLoader', () => {
  it('uploads examples in stored order, the last batch short', async () => {
    const loader = new BatchLoader(data, [1, 2, 3], 3);
    const a = loader.load(null, 0, 3);
    expect(a.x.shape).toEqual([3, 1, 2, 3]);
    expect(Array.from(await a.x.read()).slice(0, 8).map((v) => Number(v.toFixed(2)))).toEqual([0, 0.01, 0.02, 0.03, 0.04, 0.05, 1, 1.01]);
    const last = loader.load(null, 6, 7);
    expect(last.size).toBe(1);
    expect(Array.from(await last.y.read())).toEqual([6]);
  });

  it('gathers an order, and a second batch does not disturb the first one\'s tensors', async () => {
    const loader = new BatchLoader(data, [1, 2, 3], 3);
    const order = Uint32Array.from([5, 2, 6, 0, 1, 3, 4]);
    const a = loader.load(order, 0, 3);
    const b = loader.load(order, 3, 6);
    expect(await firstPixels(a.x)).toEqual([5, 2, 6]);
    expect(Array.from(await a.y.read())).toEqual([5, 2, 6]);
    expect(await firstPixels(b.x)).toEqual([0, 1, 3]);
    expect(Array.from(await b.y.read())).toEqual([0, 1, 3]);
  });

  it('applies a transform to the gathered images only, never to the data set', async () => {
    const loader = new BatchLoader(data, [1, 2, 3], 4);
    const b = loader.load(null, 1, 3, (pixels, count) => {
      expect(count).toBe(2);
      pixels.fill(-1);
    });
    expect(Array.from(await b.x.read())).toEqual(new Array(12).fill(-1));
    expect(data.images[6]).toBe(1);
    expect(Array.from(await makeBatch(data, null, 1, 2, [6]).x.read()).map((v) => Number(v.toFixed(2)))).toEqual([1, 1.01, 1.02, 1.03, 1.04, 1.05]);
  });

  it('refuses a batch larger than its buffers, or outside the data', () => {
    const loader = new BatchLoader(data, [6], 3);
    expect(() => loader.load(null, 0, 4)).toThrow(/batch \[0, 4\) does not fit batches of 3 over 7 examples/);
    expect(() => loader.load(null, 6, 8)).toThrow(/does not fit/);
    expect(() => new BatchLoader(data, [5], 3)).toThrow(/the model expects 5 per example/);
  });
});
