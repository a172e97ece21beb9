/**
 * The seed notebooks' experiments: each study is a set of variants of one training run. The
 * numbers a study reports are computed here, from the histories, and nowhere else.
 */
import type { Activation } from '../kernels/elementwise.ts';
import type { OptimizerName } from '../optim/optimizer.ts';
import type { EpochLogs } from '../train/fit.ts';
import type { StudyModel } from './models.ts';
import type { Job, JobResult } from './run.ts';

export const studyNames = ['dropout', 'l2', 'optimizer', 'batch-size', 'activation', 'epochs', 'early-stopping', 'regularization'] as const;
export type StudyName = (typeof studyNames)[number];

export interface Variant {
  label: string;
  /** what changes from the study's base job */
  job: Partial<Omit<Job, 'model'>> & { dropout?: number; activation?: Activation };
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

const fixed = (label: string, job: Variant['job']): Variant => ({ label, job });

export const studies: Record<StudyName, StudyDefinition> = {
  dropout: {
    title: 'Dropout rate',
    epochs: 10,
    model: 'mlp',
    variants: [0, 0.1, 0.25, 0.3, 0.5].map((r) => fixed(`dropout ${r}`, { dropout: r })),
  },
  l2: {
    title: 'L2 weight penalty',
    epochs: 10,
    model: 'mlp',
    variants: [0, 1e-4, 1e-3, 1e-2].map((l2) => fixed(`l2 ${l2}`, { l2 })),
  },
  optimizer: {
    title: 'Optimizer',
    epochs: 10,
    model: 'mlp',
    variants: (['sgd', 'momentum', 'adam', 'adamw'] as OptimizerName[]).map((o) => fixed(o === 'momentum' ? 'sgd+momentum' : o, { optimizer: o })),
  },
  'batch-size': {
    title: 'Batch size',
    epochs: 5,
    model: 'mlp',
    variants: [8, 32, 64, 128].map((b) => fixed(`batch ${b}`, { batchSize: b, stepLoss: true })),
  },
  activation: {
    title: 'Hidden activation',
    epochs: 10,
    model: 'mlp',
    variants: (['relu', 'tanh', 'softsign', 'gelu'] as Activation[]).map((a) => fixed(a, { activation: a, gradNorms: true })),
  },
  epochs: {
    title: 'Training length',
    epochs: 30,
    model: 'mlp',
    variants: [fixed('long run', {})],
  },
  'early-stopping': {
    title: 'Early stopping patience',
    epochs: 30,
    model: 'mlp',
    variants: [fixed('no early stopping', {}), ...[1, 2, 3, 5].map((p) => fixed(`patience ${p}`, { patience: p }))],
  },
  regularization: {
    title: 'Regularization of the three-dense-layer MLP',
    epochs: 20,
    model: 'mlp3',
    batchSize: 128,
    validationSplit: 0.3,
    variants: [fixed('none', {}), fixed('l2', { l2: 1e-3 }), fixed('dropout', { dropout: 0.3 }), fixed('l2+dropout', { l2: 1e-3, dropout: 0.3 })],
  },
};

export interface StudyOptions {
  model?: StudyModel;
  epochs?: number;
  limit?: number;
  seeds: number;
  data?: string;
}

/** Every job of a study: variants × seeds, in the order they are reported. */
export function studyJobs(name: StudyName, o: StudyOptions): Job[] {
  const s = studies[name];
  const model = o.model ?? s.model;
  const jobs: Job[] = [];
  for (const v of s.variants) {
    const { dropout, activation, ...rest } = v.job;
    for (let seed = 0; seed < o.seeds; seed++) {
      jobs.push({
        label: v.label,
        seed,
        model: { kind: model, dropout, activation },
        optimizer: 'adam',
        batchSize: s.batchSize ?? (model === 'cnn' ? 64 : 32),
        epochs: o.epochs ?? s.epochs,
        validationSplit: s.validationSplit ?? 0.1,
        limit: o.limit,
        data: o.data,
        ...rest,
      });
    }
  }
  return jobs;
}

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

export function summarize(r: JobResult): RunSummary {
  const h = r.history;
  const val = (e: EpochLogs) => e.val_accuracy ?? Number.NaN;
  let best = 0;
  let minLoss = 0;
  for (let i = 1; i < h.length; i++) {
    if (val(h[i]) > val(h[best])) best = i;
    if ((h[i].val_loss ?? Infinity) < (h[minLoss].val_loss ?? Infinity)) minLoss = i;
  }
  const last = h.at(-1)!;
  const s: RunSummary = {
    bestValAccuracy: val(h[best]),
    bestEpoch: h[best].epoch,
    finalGap: last.accuracy - val(last),
    minValLossEpoch: h[minLoss].epoch,
    epochsRun: h.length,
    wallSeconds: r.wallSeconds,
    weightL2: r.weightL2,
  };
  if (r.stepLosses && r.stepLosses.length > 2) {
    const d = r.stepLosses.slice(1).map((v, i) => v - r.stepLosses![i]);
    s.lossNoise = std(d) / Math.SQRT2;
  }
  if (r.stoppedEpoch !== undefined) {
    s.stoppedEpoch = r.stoppedEpoch;
    s.restoredEpoch = r.bestEpoch;
  }
  return s;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function std(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

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

export function summarizeVariants(results: JobResult[]): VariantSummary[] {
  const labels = [...new Set(results.map((r) => r.label))];
  return labels.map((label) => {
    const mine = results.filter((r) => r.label === label);
    const runs = mine.map(summarize);
    const stats: VariantSummary['stats'] = {};
    for (const k of Object.keys(runs[0]) as (keyof RunSummary)[]) {
      const xs = runs.map((r) => r[k]).filter((v): v is number => typeof v === 'number');
      if (xs.length === runs.length) stats[k] = { mean: mean(xs), std: std(xs) };
    }
    const v: VariantSummary = { label, runs, stats, curves: meanCurves(mine.map((r) => r.history)) };
    if (mine[0].gradNorms) {
      v.gradNorms = Object.fromEntries(Object.keys(mine[0].gradNorms).map((k) => [k, mean(mine.map((r) => r.gradNorms![k]))]));
    }
    return v;
  });
}

/** Epoch-wise means over runs, for the epochs every run reached. */
function meanCurves(histories: EpochLogs[][]): EpochLogs[] {
  const n = Math.min(...histories.map((h) => h.length));
  const fields = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds', 'msPerStep'] as const;
  return Array.from({ length: n }, (_, i) => {
    const e: EpochLogs = { epoch: i + 1, loss: 0, accuracy: 0, lr: 0, seconds: 0, msPerStep: 0 };
    for (const f of fields) {
      const xs = histories.map((h) => h[i][f]).filter((v): v is number => v !== undefined);
      if (xs.length) e[f] = mean(xs);
    }
    return e;
  });
}
