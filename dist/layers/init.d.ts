import type { Rng } from '../kernels/random.ts';
import { Tensor, type Shape } from '../tensor/tensor.ts';
/**
 * The most parameter values a model may have (400 MB of float32; resnet has 2 million). A config
 * asking for `units: 1e9` is refused by name before anything is allocated.
 */
export declare const MAX_PARAMETERS = 100000000;
/** A model would need more parameter values than it may have (its config is wrong or hostile). */
export declare class ParameterBudgetError extends Error {
}
/**
 * Runs `fn` (a model's build) allowing at most `max` parameter values in all: loading a weights
 * file, the file's tensors say how many the model must have, so a config that asks for more
 * fails before the allocation instead of after it.
 */
export declare function withParameterBudget<T>(max: number, reason: string, fn: () => T): T;
/** Keras's default kernel initializer: U(−l, l) with l = √(6 / (fan_in + fan_out)). */
export declare function glorotUniform(shape: Shape, fanIn: number, fanOut: number, rng: Rng): Tensor;
/**
 * How a kernel layer's weight and bias start: Keras's Glorot-uniform weights and zero bias, or
 * PyTorch's defaults for nn.Linear and nn.Conv2d (kaiming_uniform with a = √5: weights and bias
 * both U(−1/√fan_in, 1/√fan_in)).
 */
export declare const initializers: readonly ["glorot", "torch"];
export type Initializer = (typeof initializers)[number];
export declare function uniform(shape: Shape, limit: number, rng: Rng): Tensor;
export declare function kernelAndBias(init: Initializer, shape: Shape, fanIn: number, fanOut: number, useBias: boolean, rng: Rng): {
    weight: Tensor;
    bias: Tensor | null;
};
export declare function filled(shape: Shape, value: number): Tensor;
