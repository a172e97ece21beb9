/**
 * One training job of a study or a tuning trial, run on the current backend. Jobs are plain JSON
 * so that a worker process can run them as well as this one.
 */
import { limit, loadMnist, splitValidation, type Mnist } from '../data/mnist.ts';
import { crossEntropy } from '../kernels/softmax.ts';
import { Optimizer, type OptimizerName } from '../optim/optimizer.ts';
import { backward } from '../tensor/autograd.ts';
import { keep, scope } from '../tensor/context.ts';
import { EarlyStopping } from '../train/callbacks.ts';
import { makeBatch } from '../train/dataset.ts';
import { evaluate, fit, type Callback, type EpochLogs } from '../train/fit.ts';
import { writeReport } from '../io/report.ts';
import { saveModel } from '../io/run-dir.ts';
import type { Sequential } from '../layers/sequential.ts';
import { buildModel, type ModelSpec } from './models.ts';

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
  /** evaluate on the test set at the end */
  test?: boolean;
  /** save the trained model there as a run directory (model, config, history, report.md) */
  saveDir?: string;
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
  /** test loss (with the L2 penalty, as val_loss) and accuracy, when the job asked for them */
  test?: { loss: number; accuracy: number };
  /** the run directory the model was saved to */
  dir?: string;
}

let cached: { key: string; mnist: Mnist } | null = null;
export function mnistFor(dir?: string): Mnist {
  const key = dir ?? '';
  if (cached?.key !== key) cached = { key, mnist: loadMnist(dir) };
  return cached.mnist;
}

function l2Norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/** Weight-gradient norms of every regularized parameter on one batch, without taking a step. */
async function initialGradNorms(model: Sequential, train: { images: Float32Array; labels: Uint8Array; count: number }, batchSize: number): Promise<Record<string, number>> {
  const weights = model.trainable().filter((p) => p.regularized);
  scope(() => {
    const b = makeBatch(train, null, 0, Math.min(batchSize, train.count), model.inputShape);
    backward(crossEntropy(model.forward(b.x, { training: true, step: 0 }), b.y));
    for (const p of weights) if (p.tensor.grad) keep(p.tensor.grad);
  });
  const out: Record<string, number> = {};
  for (const p of model.trainable()) {
    const g = p.tensor.grad;
    if (g && p.regularized) out[p.fullName.replace(/\.weight$/, '')] = l2Norm(await g.read());
    g?.dispose();
    p.tensor.grad = null;
  }
  return out;
}

/** A run directory like train's, so that evaluate, compare and board read a study's variants. */
async function saveRun(job: Job, model: Sequential, r: JobResult): Promise<void> {
  const { kind } = job.model;
  const settings = {
    model: kind === 'config' ? null : kind, config: job.model.kind === 'config' ? job.model.source : null, epochs: job.epochs, batchSize: job.batchSize,
    validationSplit: job.validationSplit, optimizer: job.optimizer, lr: job.lr ?? null, seed: job.seed, limit: job.limit ?? null, data: job.data ?? null,
    dropout: 'dropout' in job.model ? job.model.dropout ?? null : null, l2: job.l2 ?? null, activation: job.model.activation ?? null,
    earlyStopping: job.patience !== undefined, patience: job.patience ?? null,
  };
  const outcome = { epochs: r.history.length, ...(r.stoppedEpoch !== undefined ? { monitor: 'val_loss', bestEpoch: r.bestEpoch, stoppedEpoch: r.stoppedEpoch || null, restoredBest: true } : {}) };
  await saveModel(job.saveDir!, model, { preset: kind === 'config' ? null : kind, training: { settings, epochs: job.epochs, batchSize: job.batchSize, optimizer: job.optimizer, study: job.label }, outcome, test: r.test }, r.history);
  writeReport(job.saveDir!);
}

/** Where a job is: for progress lines, a few times a second. */
export interface JobProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
}

export async function runJob(job: Job, report?: (p: JobProgress) => void): Promise<JobResult> {
  const mnist = mnistFor(job.data);
  const all = job.limit ? limit(mnist.train, job.limit) : mnist.train;
  const { train, val } = splitValidation(all, job.validationSplit);
  const started = performance.now();
  const model = buildModel(job.model).build(job.seed);
  const optimizer = new Optimizer(job.optimizer, { lr: job.lr });
  try {
    const result: JobResult = { label: job.label, seed: job.seed, history: [], wallSeconds: 0, weightL2: 0 };
    if (job.gradNorms) result.gradNorms = await initialGradNorms(model, train, job.batchSize);
    const callbacks: Callback[] = [];
    const early = job.patience !== undefined ? new EarlyStopping({ monitor: 'val_loss', patience: job.patience, restoreBestWeights: true }) : null;
    if (early) callbacks.push(early);
    // The running mean after each step gives back each step's loss: sum_s − sum_{s−1}.
    let stepLosses: number[] = [];
    let prev = { step: 0, sum: 0 };
    const steps = Math.ceil(train.count / job.batchSize);
    if (job.stepLoss) callbacks.push({ onEpochBegin: () => void ((stepLosses = []), (prev = { step: 0, sum: 0 })) });
    result.history = await fit(model, optimizer, train, {
      epochs: job.epochs,
      batchSize: job.batchSize,
      seed: job.seed,
      validation: val,
      l2: job.l2,
      callbacks,
      // Every step for the step losses; otherwise twice a second is enough for a progress line.
      progressSeconds: job.stepLoss ? 0 : 0.5,
      onProgress: (p) => {
        report?.({ epoch: p.epoch, epochs: p.epochs, step: p.step, steps: p.steps });
        if (job.stepLoss) {
            const seen = Math.min(train.count, p.step * job.batchSize);
            const sum = p.loss * seen;
            stepLosses.push((sum - prev.sum) / (seen - Math.min(train.count, prev.step * job.batchSize)));
            prev = { step: p.step, sum };
            if (p.step === steps) result.stepLosses = stepLosses;
        }
      },
    });
    result.wallSeconds = (performance.now() - started) / 1000;
    let sq = 0;
    for (const p of model.trainable()) if (p.regularized) sq += l2Norm(await p.tensor.read()) ** 2;
    result.weightL2 = Math.sqrt(sq);
    if (early) {
      result.stoppedEpoch = early.stoppedEpoch;
      result.bestEpoch = early.bestEpoch;
    }
    if (job.test) result.test = await evaluate(model, mnist.test, { l2: job.l2 });
    if (job.saveDir) {
      await saveRun(job, model, result);
      result.dir = job.saveDir;
    }
    return result;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
