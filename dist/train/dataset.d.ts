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
/** Gathers examples `order[start..end)` into one batch tensor of `[n, ...inputShape]` and a label tensor. */
export declare function makeBatch(data: Examples, order: ArrayLike<number> | null, start: number, end: number, inputShape: Shape): Batch;
