import type { Shape } from '../tensor/tensor.ts';
/** NumPy broadcasting of two shapes; throws with both shapes named when they do not fit. */
export declare function broadcastShapes(a: Shape, b: Shape): number[];
/** Row-major strides of `shape` seen through an output of rank `rank`; 0 along broadcast axes. */
export declare function broadcastStrides(shape: Shape, out: Shape): number[];
/** Turns a linear index over `shape` into an offset through `strides`. */
export declare function offsetOf(index: number, shape: Shape, strides: readonly number[]): number;
export declare function describe(shape: Shape): string;
