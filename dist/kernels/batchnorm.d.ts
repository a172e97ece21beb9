import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export interface BnShape {
    n: number;
    c: number;
    s: number;
}
export interface BnParams extends BnShape {
    eps: number;
}
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
    bnStats: Kernel<BnShape>;
    bnForward: Kernel<BnParams>;
    bnBackward: Kernel<BnParams>;
    ema: Kernel<EmaParams>;
};
