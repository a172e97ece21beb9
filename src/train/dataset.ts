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

/** Gathers examples `order[start..end)` into one batch tensor of `[n, ...inputShape]` and a label tensor; `transform` (augmentation) edits the host copy first. */
export function makeBatch(data: Examples, order: ArrayLike<number> | null, start: number, end: number, inputShape: Shape, transform?: (x: Float32Array, n: number) => void): Batch {
  const n = end - start;
  const pixels = inputShape.reduce((p, d) => p * d, 1);
  if (data.images.length !== data.count * pixels) {
    throw new Error(`dataset holds ${data.images.length} values for ${data.count} examples; the model expects ${pixels} per example`);
  }
  const x = new Float32Array(n * pixels);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const src = order ? order[start + i] : start + i;
    x.set(data.images.subarray(src * pixels, (src + 1) * pixels), i * pixels);
    y[i] = data.labels[src];
  }
  transform?.(x, n);
  return { x: Tensor.from(x, [n, ...inputShape]), y: Tensor.from(y, [n]), size: n };
}
