/**
 * Optimizer updates as in-place device kernels, so parameters and their state never leave the
 * device. Each is the pure per-parameter step of `src/optim`; the hyper-parameters (learning rate
 * included) are plain numbers that may change between steps.
 */
import type { Kernel } from './kernel.ts';
export interface SgdParams {
    lr: number;
    /** L2 added to the gradient (coupled, as torch.optim.SGD's weight_decay) */
    weightDecay: number;
}
/** p ← p − lr (g + wd p). Inputs [grad]; targets [param]. */
export declare const sgdKernel: Kernel<SgdParams>;
export interface MomentumParams extends SgdParams {
    momentum: number;
    nesterov: boolean;
}
/**
 * Keras's form: v ← μ v − lr g; p ← p + v, or p ← p + μ v − lr g with Nesterov.
 * Inputs [grad]; targets [param, velocity].
 */
export declare const momentumKernel: Kernel<MomentumParams>;
export interface AdamParams {
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    /** 1-based step number, for the bias corrections */
    step: number;
    weightDecay: number;
    /** AdamW: decay the weights directly (lr · wd · p) rather than through the gradient */
    decoupled: boolean;
}
/** Adam / AdamW (Kingma & Ba; Loshchilov & Hutter). Inputs [grad]; targets [param, m, v]. */
export declare const adamKernel: Kernel<AdamParams>;
