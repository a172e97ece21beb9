import { type BackendName } from '../backends/select.ts';
import type { Activation } from '../kernels/elementwise.ts';
import { type PresetName } from '../layers/presets.ts';
import { type OptimizerName } from '../optim/optimizer.ts';
import { type CallbackOptions } from './callbacks.ts';
export interface TrainOptions extends CallbackOptions {
    model: PresetName;
    /** a model file (wgnn tune's best-model.json) to train instead of the preset */
    config?: string;
    epochs: number;
    batchSize: number;
    validationSplit: number;
    optimizer: OptimizerName;
    lr?: number;
    seed: number;
    backend: BackendName;
    limit?: number;
    data?: string;
    out?: string;
    json: boolean;
    /** overrides every dropout rate of the preset */
    dropout?: number;
    /** Keras's kernel_regularizer=l2(λ) on Dense and Conv kernels */
    l2?: number;
    batchNorm: boolean;
    activation?: Activation;
    /** evaluate on the test set at the end (false: leave it to `wgnn evaluate`) */
    test?: boolean;
    /** a run directory to continue */
    resume?: string;
    /** aborting stops training as Ctrl-C does (embedding and tests); without it, SIGINT is handled */
    signal?: AbortSignal;
}
export declare function train(given: TrainOptions, explicit?: ReadonlySet<string>): Promise<void>;
