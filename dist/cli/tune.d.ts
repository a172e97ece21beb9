/** `wgnn tune`: the hyperparameter search, with Ctrl-C finishing the running trials and saving them. */
import type { BackendName } from '../backends/select.ts';
import { type Strategy } from '../study/tune.ts';
export interface TuneCliOptions {
    strategy: Strategy;
    trials: number;
    maxEpochs: number;
    workers: number;
    limit?: number;
    batchSize: number;
    validationSplit: number;
    seed: number;
    backend: BackendName;
    data?: string;
    out: string;
}
export declare function tuneCommand(o: TuneCliOptions): Promise<void>;
