import { Tensor, type GradNode } from './tensor.ts';
/** Attaches a gradient rule to `out` when gradients are on and some input needs one. */
export declare function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: GradNode['backward']): Tensor;
/**
 * Back-propagates from a scalar (or from `seed`, the gradient of `root`), accumulating into the
 * `.grad` of every tensor that requires one. Intermediate gradients are freed as soon as their
 * node has run; leaves (parameters) keep theirs.
 */
export declare function backward(root: Tensor, seed?: Tensor): void;
