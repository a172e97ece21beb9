import { type Activation } from '../kernels/elementwise.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { Layer, type ForwardContext, type LayerConfig } from './layer.ts';
export declare class Flatten extends Layer {
    readonly kind = "Flatten";
    build(inputShape: Shape): Shape;
    forward(x: Tensor): Tensor;
    config(): LayerConfig;
}
export declare class ActivationLayer extends Layer {
    readonly activation: Activation;
    readonly kind = "Activation";
    constructor(activation: Activation);
    build(inputShape: Shape): Shape;
    forward(x: Tensor): Tensor;
    config(): LayerConfig;
}
export declare class Pool2D extends Layer {
    readonly mode: 'max' | 'avg';
    readonly size: number;
    readonly kind: string;
    constructor(mode: 'max' | 'avg', size?: number);
    build(inputShape: Shape): Shape;
    forward(x: Tensor): Tensor;
    config(): LayerConfig;
}
export declare class Dropout extends Layer {
    rate: number;
    readonly kind = "Dropout";
    /** Set by the model: the layer's stream among the model's dropout layers. */
    stream: number;
    constructor(rate: number);
    build(inputShape: Shape): Shape;
    forward(x: Tensor, ctx: ForwardContext): Tensor;
    config(): LayerConfig;
}
