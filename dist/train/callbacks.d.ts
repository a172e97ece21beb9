/**
 * Keras's training callbacks with Keras's semantics: EarlyStopping, ReduceLROnPlateau and
 * LearningRateScheduler. Each can save and restore its state, so a resumed run decides exactly
 * as an uninterrupted one would.
 */
import type { HostTensor } from '../tensor/storage.ts';
import type { Callback, EpochLogs, TrainingState } from './fit.ts';
export type Monitor = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy';
export declare const monitorNames: readonly Monitor[];
export type Mode = 'auto' | 'min' | 'max';
/** What a callback carries across a resume: JSON, and tensors for saved weights. */
export interface CallbackState {
    json: Record<string, number | boolean | null>;
    tensors?: Record<string, HostTensor>;
}
export interface StatefulCallback extends Callback {
    /** key of its state in a checkpoint */
    readonly id: string;
    getState(): CallbackState;
    setState(s: CallbackState): void;
}
export interface EarlyStoppingOptions {
    monitor?: Monitor;
    /** an improvement smaller than this does not count */
    minDelta?: number;
    /** epochs without improvement before stopping (Keras: 0; wgnn's CLI: 3) */
    patience?: number;
    mode?: Mode;
    /** a value the monitor must beat before patience resets */
    baseline?: number;
    /** on stopping, go back to the weights of the best epoch */
    restoreBestWeights?: boolean;
}
export declare class EarlyStopping implements StatefulCallback {
    readonly id = "early_stopping";
    readonly monitor: Monitor;
    readonly minDelta: number;
    readonly patience: number;
    readonly mode: 'min' | 'max';
    readonly baseline?: number;
    readonly restoreBestWeights: boolean;
    wait: number;
    best: number | null;
    /** 1-based epoch of the best value, 0 before the first */
    bestEpoch: number;
    /** 1-based epoch training stopped after, 0 if it did not stop */
    stoppedEpoch: number;
    restored: boolean;
    bestWeights: Record<string, HostTensor> | null;
    constructor(o?: EarlyStoppingOptions);
    private isImprovement;
    onEpochEnd(logs: EpochLogs, state: TrainingState): Promise<void>;
    getState(): CallbackState;
    setState(s: CallbackState): void;
}
export interface ReduceLROnPlateauOptions {
    monitor?: Monitor;
    /** new rate = rate × factor (Keras: 0.1; wgnn's CLI: 0.2) */
    factor?: number;
    /** epochs without improvement before reducing (Keras: 10; wgnn's CLI: 2) */
    patience?: number;
    mode?: Mode;
    /** Keras's threshold for a significant change (1e-4) */
    minDelta?: number;
    /** epochs to wait after a reduction before counting again */
    cooldown?: number;
    /** the rate never goes below this (Keras: 0; wgnn's CLI: 1e-4) */
    minLr?: number;
    /** told about every reduction: "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0002." */
    log?: (line: string) => void;
}
export declare class ReduceLROnPlateau implements StatefulCallback {
    readonly id = "reduce_lr_on_plateau";
    readonly monitor: Monitor;
    readonly factor: number;
    readonly patience: number;
    readonly mode: 'min' | 'max';
    readonly minDelta: number;
    readonly cooldown: number;
    readonly minLr: number;
    readonly log?: (line: string) => void;
    wait: number;
    cooldownCounter: number;
    best: number;
    constructor(o?: ReduceLROnPlateauOptions);
    private better;
    onEpochEnd(logs: EpochLogs, state: TrainingState): void;
    getState(): CallbackState;
    setState(s: CallbackState): void;
}
/** Sets the optimizer's rate before every step from a pure function of the global step. */
export declare class LearningRateScheduler implements Callback {
    readonly lrAt: (step: number) => number;
    constructor(lrAt: (step: number) => number);
    onBatchBegin(step: number, state: TrainingState): void;
}
