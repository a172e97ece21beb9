import { type Activation } from '../kernels/elementwise.ts';
import type { Rng } from '../kernels/random.ts';
import type { Shape, Tensor } from '../tensor/tensor.ts';
import { type Initializer } from './init.ts';
import { Layer, type ForwardContext, type LayerConfig, type Parameter } from './layer.ts';
/** y = act(x · Wᵀ + b), W stored [units, inputs] as torch.nn.Linear does. */
export declare class Dense extends Layer {
    readonly units: number;
    readonly activation: Activation | null;
    readonly useBias: boolean;
    readonly init: Initializer;
    readonly kind = "Dense";
    weight: Tensor | null;
    bias: Tensor | null;
    /** Keras's kernel_regularizer=l2(λ) on this layer alone; null: the run's --l2, if any */
    l2: number | null;
    constructor(units: number, activation?: Activation | null, useBias?: boolean, init?: Initializer);
    build(inputShape: Shape, rng: Rng): Shape;
    forward(x: Tensor, _ctx: ForwardContext): Tensor;
    parameters(): Parameter[];
    config(): LayerConfig;
}
