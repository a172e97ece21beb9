import { Tensor } from '../tensor/tensor.ts';
export declare const optimizerNames: readonly ["sgd", "momentum", "adam", "adamw"];
export type OptimizerName = (typeof optimizerNames)[number];
export interface OptimizerOptions {
    lr?: number;
    momentum?: number;
    nesterov?: boolean;
    beta1?: number;
    beta2?: number;
    eps?: number;
    weightDecay?: number;
}
/** Keras's defaults, per optimizer. */
export declare const defaultLr: Record<OptimizerName, number>;
export interface Trainable {
    readonly fullName: string;
    readonly tensor: Tensor;
}
export declare class Optimizer {
    readonly name: OptimizerName;
    lr: number;
    /** steps taken: Adam's bias correction counts from 1 */
    steps: number;
    readonly slots: Map<string, Tensor[]>;
    readonly options: Required<OptimizerOptions>;
    constructor(name: OptimizerName, options?: OptimizerOptions);
    /** How many state tensors each parameter carries. */
    get slotCount(): number;
    private slotsFor;
    /** Applies every parameter's gradient, then drops the gradients. */
    step(params: readonly Trainable[]): void;
    /** State for checkpoints: slot tensors by "<param>.<slot>". */
    stateDict(): Promise<Record<string, {
        shape: number[];
        data: Float32Array;
    }>>;
    loadStateDict(params: readonly Trainable[], state: Record<string, {
        data: ArrayLike<number>;
    }>, steps: number): void;
    dispose(): void;
}
