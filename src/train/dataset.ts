/** Batches of images on the host, uploaded one batch at a time. */
import { Tensor } from '../tensor/tensor.ts';
import type { Shape } from '../tensor/tensor.ts';

/** Images as float32 rows in [0, 1] and their labels. `mnist.ts`'s Split has this shape. */
export interface Examples {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly size: number;
}

/** Rewrites a batch's `count` gathered images (count × pixels values) in place before they are uploaded. */
export type BatchTransform = (pixels: Float32Array, count: number) => void;

/**
 * Uploads batches of one data set through staging buffers allocated once: a training epoch
 * allocates no host memory per batch. Images in stored order with no transform go to the device
 * straight from the data set, without the staging copy.
 */
export class BatchLoader {
  readonly pixels: number;
  readonly #images: Float32Array;
  readonly #labels: Float32Array;

  constructor(readonly data: Examples, readonly inputShape: Shape, readonly batchSize: number) {
    this.pixels = inputShape.reduce((p, d) => p * d, 1);
    if (data.images.length !== data.count * this.pixels) {
      throw new Error(`dataset holds ${data.images.length} values for ${data.count} examples; the model expects ${this.pixels} per example`);
    }
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    const staged = Math.min(batchSize, Math.max(1, data.count));
    this.#images = new Float32Array(staged * this.pixels);
    this.#labels = new Float32Array(staged);
  }

  /** Examples `order[start..end)` (positions `start..end` without an order) as a batch of `[n, ...inputShape]` and its labels. */
  load(order: ArrayLike<number> | null, start: number, end: number, transform?: BatchTransform): Batch {
    const n = end - start;
    if (!(n > 0 && n <= this.#labels.length && start >= 0 && end <= (order ? order.length : this.data.count))) {
      throw new Error(`batch [${start}, ${end}) does not fit batches of ${this.#labels.length} over ${this.data.count} examples`);
    }
    const px = this.pixels;
    const x = Tensor.empty([n, ...this.inputShape]);
    const y = Tensor.empty([n]);
    const images = this.data.images;
    if (!order && !transform) x.backend.write(x.storage, images.subarray(start * px, end * px));
    else {
      const staged = this.#images.subarray(0, n * px);
      for (let i = 0; i < n; i++) {
        const src = order ? order[start + i] : start + i;
        staged.set(images.subarray(src * px, (src + 1) * px), i * px);
      }
      transform?.(staged, n);
      x.backend.write(x.storage, staged);
    }
    const labels = this.#labels;
    for (let i = 0; i < n; i++) labels[i] = this.data.labels[order ? order[start + i] : start + i];
    y.backend.write(y.storage, labels.subarray(0, n));
    return { x, y, size: n };
  }
}

/** One batch without a loader to reuse (prediction, one-off batches): examples `order[start..end)`. */
export function makeBatch(data: Examples, order: ArrayLike<number> | null, start: number, end: number, inputShape: Shape): Batch {
  return new BatchLoader(data, inputShape, end - start).load(order, start, end);
}
