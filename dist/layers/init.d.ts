import type { Rng } from '../kernels/random.ts';
import { Tensor, type Shape } from '../tensor/tensor.ts';
/** Keras's default kernel initializer: U(−l, l) with l = √(6 / (fan_in + fan_out)). */
export declare function glorotUniform(shape: Shape, fanIn: number, fanOut: number, rng: Rng): Tensor;
export declare function filled(shape: Shape, value: number): Tensor;
