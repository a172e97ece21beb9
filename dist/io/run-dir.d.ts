import { Sequential, type ModelConfig } from '../layers/sequential.ts';
import type { EpochLogs } from '../train/fit.ts';
export declare const FORMAT = "wgnn-run";
export declare const FORMAT_VERSION = 1;
export interface RunConfig {
    format: typeof FORMAT;
    version: number;
    /** the preset the model came from, if any */
    preset: string | null;
    model: ModelConfig;
    training: Record<string, unknown>;
    /** how training went: epochs run and, with early stopping, the best and stopping epochs */
    outcome?: Record<string, unknown>;
    test?: {
        loss: number;
        accuracy: number;
    };
}
export declare function saveModel(dir: string, model: Sequential, meta: Omit<RunConfig, 'format' | 'version' | 'model'>, history: EpochLogs[]): Promise<void>;
export declare function readRunConfig(dir: string): RunConfig;
/** Rebuilds the model of a run directory on the current backend and loads its weights. */
export declare function loadModel(dir: string): {
    model: Sequential;
    config: RunConfig;
};
