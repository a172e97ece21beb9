import type { Sequential } from '../layers/sequential.ts';
import { type Examples } from './dataset.ts';
/** Class probabilities for every example, [count × 10] row-major, read back in batches. */
export declare function predict(model: Sequential, data: Examples, batchSize?: number): Promise<Float32Array>;
