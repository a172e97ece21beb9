import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export interface DropoutParams {
    rate: number;
    /** u32 stream id: one per layer and step */
    seed: number;
}
/** y = x / (1 − rate) where the element's uniform ≥ rate, else 0. Its own backward. */
export declare const dropoutKernel: Kernel<DropoutParams>;
export declare function dropout(x: Tensor, rate: number, seed: number): Tensor;
