import type { Rng } from '../kernels/random.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { BatchNorm } from './batchnorm.ts';
import { Conv2D } from './conv2d.ts';
import { Layer, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';
/** relu(x + BN(conv(relu(BN(conv(x)))))): two 'same' 3×3 convolutions around an identity shortcut. */
export declare class ResidualBlock extends Layer {
    readonly filters: number;
    readonly kind = "ResidualBlock";
    readonly conv1: Conv2D;
    readonly bn1: BatchNorm;
    readonly conv2: Conv2D;
    readonly bn2: BatchNorm;
    constructor(filters: number);
    build(inputShape: Shape, rng: Rng): Shape;
    forward(x: Tensor, ctx: ForwardContext): Tensor;
    children(): Layer[];
    parameters(): Parameter[];
    config(): LayerConfig;
}
