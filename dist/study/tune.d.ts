import type { OptimizerName } from '../optim/optimizer.ts';
import type { JobPool } from './pool.ts';
export declare const strategies: readonly ["random", "hyperband"];
export type Strategy = (typeof strategies)[number];
export interface TrialConfig {
    filters1: number;
    filters2: number;
    units: number;
    dropout: number;
    lr: number;
    optimizer: OptimizerName;
}
/** Integer ranges are [min, max] in steps; the learning rate is drawn log-uniformly. */
export interface SearchSpace {
    filters: [min: number, max: number, step: number];
    units: [min: number, max: number, step: number];
    dropout: [min: number, max: number, step: number];
    lr: [min: number, max: number];
    optimizers: OptimizerName[];
}
export declare const defaultSpace: SearchSpace;
/** The i-th configuration of a search: depends only on (seed, i), so a resumed search draws the same ones. */
export declare function sampleConfig(space: SearchSpace, seed: number, i: number): TrialConfig;
export interface TuneSettings {
    strategy: Strategy;
    trials: number;
    maxEpochs: number;
    seed: number;
    batchSize: number;
    validationSplit: number;
    limit?: number;
    data?: string;
    space: SearchSpace;
}
export interface Trial {
    id: string;
    config: TrialConfig;
    epochs: number;
    /** best val_accuracy over the trial's epochs: the objective, as Keras Tuner's default */
    valAccuracy: number;
    valLoss: number;
    bestEpoch: number;
    seconds: number;
}
export declare const TRIALS_FILE = "trials.json";
export declare const BEST_FILE = "best-model.json";
/** One trial to train: Hyperband asks for the same configuration again with more epochs. */
interface Request {
    id: string;
    config: TrialConfig;
    epochs: number;
}
export interface Planner {
    /** every request of the search, calling `run` for each and using the results for promotions */
    search(run: (r: Request) => Promise<Trial | null>): Promise<void>;
}
/** Hyperband's brackets for `maxEpochs`, with the configuration counts scaled to `trials` in all. */
export declare function hyperbandBrackets(maxEpochs: number, trials: number): {
    s: number;
    n: number;
    r: number;
}[];
export interface TuneOptions extends TuneSettings {
    out: string;
    workers: number;
    pool: JobPool;
    /** aborting starts no new trial; running ones finish and are saved */
    signal?: AbortSignal;
    log?: (line: string) => void;
}
export interface TuneResult {
    trials: Trial[];
    best: Trial;
    /** trials trained by this call (the rest came from trials.json) */
    ran: number;
    interrupted: boolean;
    wallSeconds: number;
}
export declare function tune(o: TuneOptions): Promise<TuneResult>;
export {};
