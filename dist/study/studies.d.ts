/**
 * The seed notebooks' experiments: each study is a set of variants of one training run. The
 * numbers a study reports are computed here, from the histories, and nowhere else.
 */
import type { Activation } from '../kernels/elementwise.ts';
import type { EpochLogs } from '../train/fit.ts';
import type { StudyModel } from './models.ts';
import type { Job, JobResult } from './run.ts';
export declare const studyNames: readonly ["dropout", "l2", "optimizer", "batch-size", "activation", "epochs", "early-stopping", "regularization"];
export type StudyName = (typeof studyNames)[number];
export interface Variant {
    label: string;
    /** what changes from the study's base job */
    job: Partial<Omit<Job, 'model'>> & {
        dropout?: number;
        activation?: Activation;
    };
}
export interface StudyDefinition {
    title: string;
    /** the seed notebooks' defaults, which --epochs, --limit and --model override */
    epochs: number;
    model: StudyModel;
    batchSize?: number;
    validationSplit?: number;
    variants: Variant[];
}
export declare const studies: Record<StudyName, StudyDefinition>;
export interface StudyOptions {
    model?: StudyModel;
    epochs?: number;
    limit?: number;
    seeds: number;
    data?: string;
}
/** Every job of a study: variants × seeds, in the order they are reported. */
export declare function studyJobs(name: StudyName, o: StudyOptions): Job[];
/** What the report's table shows for one run. */
export interface RunSummary {
    bestValAccuracy: number;
    /** 1-based epoch of the best validation accuracy (the first, on ties) */
    bestEpoch: number;
    /** accuracy − val_accuracy at the last epoch */
    finalGap: number;
    /** epoch of the lowest validation loss */
    minValLossEpoch: number;
    epochsRun: number;
    wallSeconds: number;
    weightL2: number;
    /** std of the last epoch's per-step loss changes / √2: the noise of one step's loss */
    lossNoise?: number;
    stoppedEpoch?: number;
    restoredEpoch?: number;
}
export declare function summarize(r: JobResult): RunSummary;
export declare function mean(xs: number[]): number;
/** Sample standard deviation (n − 1); 0 for a single value. */
export declare function std(xs: number[]): number;
export interface Stat {
    mean: number;
    std: number;
}
export interface VariantSummary {
    label: string;
    runs: RunSummary[];
    stats: Partial<Record<keyof RunSummary, Stat>>;
    /** mean over seeds of each layer's gradient norm at initialisation */
    gradNorms?: Record<string, number>;
    /** mean curves over seeds, for the plots */
    curves: EpochLogs[];
}
export declare function summarizeVariants(results: JobResult[]): VariantSummary[];
