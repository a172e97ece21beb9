import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export interface PoolParams {
    /** n·c planes of h×w */
    planes: number;
    h: number;
    w: number;
    size: number;
    stride: number;
    oh: number;
    ow: number;
}
export declare const maxPoolKernel: Kernel<PoolParams>;
/** Routes each window's gradient to its first maximum, found again from x (no index tensor). */
export declare const maxPoolGradKernel: Kernel<PoolParams>;
export declare const avgPoolKernel: Kernel<PoolParams>;
export declare const avgPoolGradKernel: Kernel<PoolParams>;
export declare function poolParams(x: Tensor, size: number, stride: number): PoolParams;
export declare function maxPool2d(x: Tensor, size?: number, stride?: number): Tensor;
export declare function avgPool2d(x: Tensor, size?: number, stride?: number): Tensor;
