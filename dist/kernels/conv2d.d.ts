import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export type Padding = 'valid' | 'same';
export interface Conv2dParams {
    n: number;
    /** input channels, height, width */
    c: number;
    h: number;
    w: number;
    /** output channels (filters) */
    k: number;
    kh: number;
    kw: number;
    stride: number;
    padTop: number;
    padLeft: number;
    oh: number;
    ow: number;
    /** forward only: a third input of k values is added per output channel */
    bias: boolean;
}
/** Output size and leading padding the way Keras computes them ('same' puts the odd pixel last). */
export declare function convGeometry(size: number, kernel: number, stride: number, padding: Padding): {
    out: number;
    pad: number;
};
export declare const conv2dKernel: Kernel<Conv2dParams>;
/** dx from dy and the weights. */
export declare const conv2dGradInputKernel: Kernel<Conv2dParams>;
/** dW from the input and dy, summed over the batch. */
export declare const conv2dGradWeightKernel: Kernel<Conv2dParams>;
export interface Conv2dOptions {
    stride?: number;
    padding?: Padding;
    bias?: Tensor;
}
export declare function conv2dParams(x: Tensor, w: Tensor, stride: number, padding: Padding, bias: boolean): Conv2dParams;
export declare function conv2d(x: Tensor, w: Tensor, { stride, padding, bias }?: Conv2dOptions): Tensor;
