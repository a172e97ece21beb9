/** Keras's L2 regularizer: λ Σ w², added to the reported loss. A composition: its gradient is free. */
import { Tensor } from '../tensor/tensor.ts';
export declare function l2Penalty(weights: readonly Tensor[], lambda: number): Tensor;
