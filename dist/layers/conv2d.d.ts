import { type Padding } from '../kernels/conv2d.ts';
import { type Activation } from '../kernels/elementwise.ts';
import type { Rng } from '../kernels/random.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { Layer, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';
/** A square-kernel convolution over [c, h, w] inputs; weights [filters, c, k, k] as torch.nn.Conv2d. */
export declare class Conv2D extends Layer {
    readonly filters: number;
    readonly kernelSize: number;
    readonly padding: Padding;
    readonly stride: number;
    readonly activation: Activation | null;
    readonly useBias: boolean;
    readonly kind = "Conv2D";
    weight: Tensor | null;
    bias: Tensor | null;
    constructor(filters: number, kernelSize?: number, padding?: Padding, stride?: number, activation?: Activation | null, useBias?: boolean);
    build(inputShape: Shape, rng: Rng): Shape;
    forward(x: Tensor, _ctx: ForwardContext): Tensor;
    parameters(): Parameter[];
    config(): LayerConfig;
}
