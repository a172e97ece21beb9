import { type Activation } from '../kernels/elementwise.ts';
import type { Rng } from '../kernels/random.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { Layer, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';
/** y = act(x · Wᵀ + b), W stored [units, inputs] as torch.nn.Linear does. */
export declare class Dense extends Layer {
    readonly units: number;
    readonly activation: Activation | null;
    readonly useBias: boolean;
    readonly kind = "Dense";
    weight: Tensor | null;
    bias: Tensor | null;
    constructor(units: number, activation?: Activation | null, useBias?: boolean);
    build(inputShape: Shape, rng: Rng): Shape;
    forward(x: Tensor, _ctx: ForwardContext): Tensor;
    parameters(): Parameter[];
    config(): LayerConfig;
}
