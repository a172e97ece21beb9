import type { JobResult } from './run.ts';
import { type StudyName, type VariantSummary } from './studies.ts';
export declare const CSV_COLUMNS: readonly ["variant", "seed", "epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds", "wall_seconds", "weight_l2"];
export declare function toCsv(results: JobResult[]): string;
/** Sentences computed from the numbers: rankings, trends and the study's own question. */
export declare function conclusions(name: StudyName, variants: VariantSummary[], seeds: number): string[];
export interface StudyMeta {
    name: StudyName;
    seeds: number;
    backend: string;
    settings: Record<string, unknown>;
    wallSeconds: number;
}
/** Writes results.csv, summary.json, the charts and report.md in `dir`; returns the report text. */
export declare function writeStudy(dir: string, meta: StudyMeta, results: JobResult[], variants: VariantSummary[]): Promise<string>;
