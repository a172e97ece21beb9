/** Keras-like text: epoch lines and the model summary table. */
import type { Sequential } from '../layers/sequential.ts';
import type { EpochLogs } from '../train/fit.ts';
export declare function epochLine(logs: EpochLogs, steps: number): string;
/** The layer table with Keras's totals, trainable and non-trainable split out. */
export declare function summaryTable(model: Sequential, title: string): string;
