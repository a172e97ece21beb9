import type { Sequential } from '../layers/sequential.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { type Examples } from './dataset.ts';
export interface EpochLogs {
    epoch: number;
    loss: number;
    accuracy: number;
    val_loss?: number;
    val_accuracy?: number;
    lr: number;
    seconds: number;
    msPerStep: number;
}
export interface TrainingState {
    readonly model: Sequential;
    readonly optimizer: Optimizer;
    readonly history: EpochLogs[];
    /** set by a callback to end training after the current epoch */
    stop: boolean;
}
export interface Callback {
    onEpochBegin?(epoch: number, state: TrainingState): void | Promise<void>;
    /** before each optimisation step; `step` counts from 0 over the whole run. Synchronous: it runs inside the step loop. */
    onBatchBegin?(step: number, state: TrainingState): void;
    onEpochEnd?(logs: EpochLogs, state: TrainingState): void | Promise<void>;
}
export interface Progress {
    epoch: number;
    epochs: number;
    step: number;
    steps: number;
    loss: number;
    accuracy: number;
}
export interface FitOptions {
    epochs: number;
    batchSize: number;
    seed?: number;
    validation?: Examples;
    /** Keras's kernel_regularizer=l2(λ) on every Dense and Conv kernel */
    l2?: number;
    callbacks?: Callback[];
    /** called at most every `progressSeconds` with the running means */
    onProgress?: (p: Progress) => void;
    progressSeconds?: number;
    /** epoch to start from (resume); the history already holds the earlier ones */
    initialEpoch?: number;
    history?: EpochLogs[];
    /** aborting ends training after the current step with a TrainingInterrupted error */
    signal?: AbortSignal;
}
/** Training was aborted (Ctrl-C) inside an epoch; the history holds only the finished epochs. */
export declare class TrainingInterrupted extends Error {
    readonly epoch: number;
    readonly step: number;
    constructor(epoch: number, step: number);
}
export declare class NonFiniteLossError extends Error {
    readonly epoch: number;
    readonly step: number;
    constructor(epoch: number, step: number, value: number);
}
export declare function evaluate(model: Sequential, data: Examples, batchSize?: number): Promise<{
    loss: number;
    accuracy: number;
}>;
export declare function fit(model: Sequential, optimizer: Optimizer, train: Examples, o: FitOptions): Promise<EpochLogs[]>;
