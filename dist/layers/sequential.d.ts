import { Tensor, type Shape } from '../tensor/tensor.ts';
import type { Layer, LayerConfig, ForwardContext, Parameter } from './layer.ts';
/** A parameter with its model-wide name, e.g. conv2d_1.weight or residual_block.bn2.running_var. */
export interface NamedParameter extends Parameter {
    readonly fullName: string;
}
export interface SummaryRow {
    name: string;
    kind: string;
    outputShape: Shape;
    params: number;
    depth: number;
}
export interface ModelConfig {
    inputShape: number[];
    layers: LayerConfig[];
}
/** A stack of layers from image [c, h, w] to logits. Owns its parameters' device memory. */
export declare class Sequential {
    #private;
    readonly inputShape: Shape;
    readonly layers: Layer[];
    readonly outputShapes: Shape[];
    constructor(layers: Layer[], inputShape?: Shape);
    static fromConfig(cfg: unknown, where?: string): Sequential;
    /** Creates every parameter on the current backend from a seeded generator (Keras's initializers). */
    build(seed?: number): this;
    get built(): boolean;
    forward(x: Tensor, ctx: ForwardContext): Tensor;
    /** Logits for a batch, without gradients, in inference mode. */
    predictLogits(x: Tensor): Tensor;
    parameters(): NamedParameter[];
    trainable(): NamedParameter[];
    config(): ModelConfig;
    /** Keras's summary rows; a residual block's inner layers follow it, indented. */
    summaryRows(): SummaryRow[];
    countParams(): {
        total: number;
        trainable: number;
        nonTrainable: number;
    };
    /** Every parameter and running statistic, copied to the host, by PyTorch-style name. */
    stateDict(): Promise<Record<string, {
        shape: number[];
        data: Float32Array;
    }>>;
    /** Writes saved values into the parameters; every name and shape must match, and nothing may be left over. */
    loadStateDict(state: Record<string, {
        shape: readonly number[];
        data: ArrayLike<number>;
    }>, where?: string): void;
    dispose(): void;
}
