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
export declare class BatchLoader {
    #private;
    readonly data: Examples;
    readonly inputShape: Shape;
    readonly batchSize: number;
    readonly pixels: number;
    constructor(data: Examples, inputShape: Shape, batchSize: number);
    /** Examples `order[start..end)` (positions `start..end` without an order) as a batch of `[n, ...inputShape]` and its labels. */
    load(order: ArrayLike<number> | null, start: number, end: number, transform?: BatchTransform): Batch;
}
/** One batch without a loader to reuse (prediction, one-off batches): examples `order[start..end)`. */
export declare function makeBatch(data: Examples, order: ArrayLike<number> | null, start: number, end: number, inputShape: Shape): Batch;
