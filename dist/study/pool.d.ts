import { type BackendName } from '../backends/select.ts';
import { type Job, type JobResult } from './run.ts';
export interface JobPool {
    /** one line saying where jobs run */
    readonly description: string;
    run(job: Job): Promise<JobResult>;
    close(): Promise<void>;
}
/** Messages between the pool and ./worker.ts. */
export type ToWorker = {
    type: 'job';
    id: number;
    job: Job;
};
export type FromWorker = {
    type: 'ready';
    description: string;
} | {
    type: 'done';
    id: number;
    result: JobResult;
} | {
    type: 'failed';
    id: number;
    error: string;
} | {
    type: 'fatal';
    error: string;
};
export declare function createPool(backend: BackendName, workers: number): Promise<JobPool>;
