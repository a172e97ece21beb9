import { Sequential, type ModelConfig } from '../layers/sequential.ts';
import type { EpochLogs } from '../train/fit.ts';
import { type RunLock } from './lock.ts';
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
/**
 * Builds the model `cfg` describes for the weights in `weights`, checking the sizes the config asks
 * for against the file's header first, so that a wrong or hostile config (`units: 1e9`) fails
 * before its memory is allocated.
 */
export declare function buildForWeights(cfg: unknown, where: string, weights: string): Sequential;
/** Rebuilds the model of a run directory on the current backend and loads its weights. */
export declare function loadModel(dir: string): {
    model: Sequential;
    config: RunConfig;
};
/** config.json alone, written when a run starts, so that a run killed before its first model still resumes. */
export declare function saveRunConfig(dir: string, model: Sequential, meta: Omit<RunConfig, 'format' | 'version' | 'model'>): void;
/** Removes the temporary files that writers killed mid-write left behind (their pid no longer runs). */
export declare function removeStaleTempFiles(dir: string): string[];
export type RunDirMode = 'new' | 'resume' | 'overwrite';
/**
 * Makes `dir` ready for a run and locks it: refuses a file, refuses a directory that already
 * holds something unless the run resumes it or --overwrite says to replace it, takes over the
 * lock of a process that died, and removes the temporary files such a process left.
 */
export declare function openRunDir(dir: string, mode: RunDirMode, say?: (line: string) => void): RunLock;
