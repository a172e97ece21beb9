import { type OptimizerName } from '../optim/optimizer.ts';
import { type EpochLogs } from '../train/fit.ts';
import { type ModelSpec } from './models.ts';
export interface Job {
    /** the variant's label in plots and tables */
    label: string;
    seed: number;
    model: ModelSpec;
    optimizer: OptimizerName;
    lr?: number;
    batchSize: number;
    epochs: number;
    l2?: number;
    validationSplit: number;
    limit?: number;
    data?: string;
    /** early stopping on val_loss with this patience, restoring the best weights */
    patience?: number;
    /** per-step training losses (batch-size study) */
    stepLoss?: boolean;
    /** per-layer gradient norms on the first batch, before any step (activation study) */
    gradNorms?: boolean;
}
export interface JobResult {
    label: string;
    seed: number;
    history: EpochLogs[];
    /** seconds from building the model to the end of the last epoch, validation included */
    wallSeconds: number;
    /** L2 norm of all regularized weights (Dense and Conv kernels) after training */
    weightL2: number;
    /** early stopping: the epoch it stopped after (0: ran every epoch) and the best epoch */
    stoppedEpoch?: number;
    bestEpoch?: number;
    /** the last epoch's per-step training losses */
    stepLosses?: number[];
    /** weight-gradient L2 norm per layer at initialisation, by layer name */
    gradNorms?: Record<string, number>;
}
export declare function runJob(job: Job): Promise<JobResult>;
