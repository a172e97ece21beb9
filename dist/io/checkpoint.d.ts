import type { Sequential } from '../layers/sequential.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { StatefulCallback } from '../train/callbacks.ts';
import type { EpochLogs } from '../train/fit.ts';
export declare const CHECKPOINT_FILE = "checkpoint.safetensors";
export interface Checkpoint {
    epoch: number;
    stopped: boolean;
    history: EpochLogs[];
}
export declare function saveCheckpoint(dir: string, s: {
    model: Sequential;
    optimizer: Optimizer;
    history: EpochLogs[];
    stopped: boolean;
}, callbacks: readonly StatefulCallback[]): Promise<void>;
/** Restores model, optimizer and callbacks from a run directory's checkpoint; every tensor is checked. */
export declare function loadCheckpoint(dir: string, model: Sequential, optimizer: Optimizer, callbacks: readonly StatefulCallback[]): Checkpoint;
