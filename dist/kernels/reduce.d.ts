import { Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export interface SumToParams {
    /** The input's shape. */
    shape: number[];
    /** Where each input element lands in the output: 0 along summed axes. */
    outStrides: number[];
    /** Scales the sum (1 for sum, 1/count for mean). */
    scale: number;
}
export declare const sumToKernel: Kernel<SumToParams>;
/** Sums `x` down to `shape` (which broadcasts to x's shape); the identity when shapes agree. */
export declare function sumTo(x: Tensor, shape: Shape): Tensor;
export declare function sum(x: Tensor): Tensor;
export declare function mean(x: Tensor): Tensor;
export interface BroadcastParams {
    shape: number[];
    strides: number[];
    scale: number;
}
export declare const broadcastKernel: Kernel<BroadcastParams>;
/** Repeats `x` along its size-1 axes to `shape` (times `scale`). */
export declare function broadcastTo(x: Tensor, shape: Shape, scale?: number): Tensor;
