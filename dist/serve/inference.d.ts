/**
 * One model on one device, fed through one queue. The engine is single-device and not re-entrant,
 * so requests wait their turn; those that arrive while a batch runs go together in the next one,
 * which turns concurrency into throughput instead of contention.
 */
import type { Sequential } from '../layers/sequential.ts';
export declare class InferenceQueue {
    private readonly model;
    private readonly maxBatch;
    private pending;
    private running;
    /** batches run and images classified, for the curious (GET /api/model reports them) */
    readonly stats: {
        batches: number;
        images: number;
    };
    constructor(model: Sequential, maxBatch?: number);
    /** Class probabilities of one 28×28 image in [0, 1]. */
    classify(pixels: Float32Array): Promise<number[]>;
    private drain;
}
