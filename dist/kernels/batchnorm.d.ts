import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { type Values } from './spec.ts';
declare const bnShapeFields: {
    readonly n: "u32";
    readonly c: "u32";
    readonly s: "u32";
};
declare const bnFields: {
    readonly eps: "f32";
    readonly n: "u32";
    readonly c: "u32";
    readonly s: "u32";
};
export type BnShape = Values<typeof bnShapeFields>;
export type BnParams = Values<typeof bnFields>;
/** shaders/batchnorm.wgsl. */
export declare const batchnormShader: import("./spec.ts").ShaderFamily<{
    readonly bn_stats: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
            readonly c: "u32";
            readonly s: "u32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["batchMean", "batchVariance"];
    };
    readonly bn_forward: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly eps: "f32";
            readonly n: "u32";
            readonly c: "u32";
            readonly s: "u32";
        }>;
        readonly inputs: readonly ["x", "mean", "variance", "gamma", "beta"];
        readonly outputs: readonly ["y"];
    };
    readonly bn_backward: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly eps: "f32";
            readonly n: "u32";
            readonly c: "u32";
            readonly s: "u32";
        }>;
        readonly inputs: readonly ["x", "dy", "mean", "variance", "gamma"];
        readonly outputs: readonly ["dx", "dgamma", "dbeta"];
    };
    readonly ema: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
            readonly momentum: "f32";
            readonly rate: "f32";
        }>;
        readonly inputs: readonly ["batch"];
        readonly outputs: readonly ["running"];
    };
}>;
/** Per-channel mean and biased variance. */
export declare const bnStatsKernel: Kernel<BnShape>;
/** y = γ (x − μ) / √(σ² + ε) + β. */
export declare const bnForwardKernel: Kernel<BnParams>;
/** Training-mode backward (μ and σ² depend on x): dx, dγ, dβ in one kernel. */
export declare const bnBackwardKernel: Kernel<BnParams>;
export interface EmaParams {
    momentum: number;
    /** multiplies the new value first (n/(n−1) turns a biased batch variance into an unbiased one) */
    correction: number;
}
/** running ← momentum · running + (1 − momentum) · correction · batch, in place. */
export declare const emaKernel: Kernel<EmaParams>;
export interface BatchNormState {
    gamma: Tensor;
    beta: Tensor;
    runningMean: Tensor;
    runningVar: Tensor;
    momentum: number;
    eps: number;
}
/**
 * Training mode normalises with the batch's statistics and folds them into the running ones;
 * inference mode uses the running statistics and records no gradient through them.
 */
export declare function batchNorm(x: Tensor, st: BatchNormState, training: boolean): Tensor;
export declare const batchNormKernels: {
    bnStats: Kernel<Values<{
        readonly n: "u32";
        readonly c: "u32";
        readonly s: "u32";
    }>>;
    bnForward: Kernel<Values<{
        readonly eps: "f32";
        readonly n: "u32";
        readonly c: "u32";
        readonly s: "u32";
    }>>;
    bnBackward: Kernel<Values<{
        readonly eps: "f32";
        readonly n: "u32";
        readonly c: "u32";
        readonly s: "u32";
    }>>;
    ema: Kernel<EmaParams>;
};
export {};
