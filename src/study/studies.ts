/**
 * The seed notebooks' experiments: each study is a set of variants of one training run. The
 * numbers a study reports are computed here, from the histories, and nowhere else.
 */
import { join } from 'node:path';
import { activations, type Activation } from '../kernels/elementwise.ts';
import { presetTraining, type PresetName } from '../layers/presets.ts';
import { optimizerNames } from '../optim/optimizer.ts';
import type { EpochLogs } from '../train/fit.ts';
import { readModelFile, type ModelSpec } from './models.ts';
import type { Job, JobResult } from './run.ts';

export const studyNames = ['dropout', 'l2', 'optimizer', 'batch-size', 'activation', 'epochs', 'early-stopping', 'regularization'] as const;
export type StudyName = (typeof studyNames)[number];

export interface Variant {
  label: string;
  /** what changes from the study's base job */
  job: Partial<Omit<Job, 'model'>> & { dropout?: number; activation?: Activation; modelL2?: number };
}

/** The one setting a study varies: how a value given to --values becomes a variant. */
export interface StudyVariable {
  /** in words, for --help and errors */
  name: string;
  /** the seed notebook's values */
  defaults: readonly string[];
  /** one value of --values; throws with what was expected */
  variant(value: string): Variant;
}

export interface StudyDefinition {
  title: string;
  /** the seed notebooks' defaults, which --epochs, --limit and --model override */
  epochs: number;
  model: PresetName;
  batchSize?: number;
  validationSplit?: number;
  variable: StudyVariable;
}

function number(value: string, what: string, ok: (v: number) => boolean): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new Error(`--values: "${value}" is not ${what}`);
  return v;
}

function choice<T extends string>(value: string, options: readonly T[]): T {
  if (!options.includes(value as T)) throw new Error(`--values: "${value}" is not one of ${options.join(', ')}`);
  return value as T;
}

/** Seed 003's recipes; "l2" is its L2 on the first layer (λ 0.001), or on every kernel for a base without one. */
const recipes = ['none', 'l2', 'dropout', 'l2+dropout'] as const;

export const studies: Record<StudyName, StudyDefinition> = {
  dropout: {
    title: 'Dropout rate',
    epochs: 10,
    model: 'mlp',
    variable: { name: 'dropout rate in [0, 1)', defaults: ['0', '0.1', '0.25', '0.3', '0.5'], variant: (s) => {
      const r = number(s, 'a dropout rate in [0, 1)', (v) => v >= 0 && v < 1);
      return { label: `dropout ${r}`, job: { dropout: r } };
    } },
  },
  l2: {
    title: 'L2 weight penalty',
    epochs: 10,
    model: 'mlp',
    variable: { name: 'L2 λ >= 0', defaults: ['0', '0.0001', '0.001', '0.01'], variant: (s) => {
      const l2 = number(s, 'an L2 λ >= 0', (v) => v >= 0);
      return { label: `l2 ${l2}`, job: { l2 } };
    } },
  },
  optimizer: {
    title: 'Optimizer',
    epochs: 10,
    model: 'mlp',
    variable: { name: `optimizer (${optimizerNames.join(', ')})`, defaults: ['sgd', 'momentum', 'adam', 'adamw'], variant: (s) => {
      const o = choice(s, optimizerNames);
      return { label: o === 'momentum' ? 'sgd+momentum' : o, job: { optimizer: o } };
    } },
  },
  'batch-size': {
    title: 'Batch size',
    epochs: 5,
    model: 'mlp',
    variable: { name: 'batch size', defaults: ['8', '32', '64', '128'], variant: (s) => {
      const b = number(s, 'a positive integer batch size', (v) => Number.isInteger(v) && v > 0);
      return { label: `batch ${b}`, job: { batchSize: b, stepLoss: true } };
    } },
  },
  activation: {
    title: 'Hidden activation',
    epochs: 10,
    model: 'mlp',
    variable: { name: `activation (${activations.join(', ')})`, defaults: ['relu', 'tanh', 'softsign', 'gelu'], variant: (s) => {
      const a = choice(s, activations);
      return { label: a, job: { activation: a, gradNorms: true } };
    } },
  },
  epochs: {
    title: 'Training length',
    epochs: 30,
    model: 'mlp',
    variable: { name: 'number of epochs', defaults: ['30'], variant: (s) => {
      const n = number(s, 'a positive integer number of epochs', (v) => Number.isInteger(v) && v > 0);
      return { label: `${n} epochs`, job: { epochs: n } };
    } },
  },
  'early-stopping': {
    title: 'Early stopping patience',
    epochs: 30,
    model: 'mlp',
    variable: { name: 'patience in epochs, or none', defaults: ['none', '1', '2', '3', '5'], variant: (s) => {
      if (s === 'none') return { label: 'no early stopping', job: {} };
      const p = number(s, 'a patience (integer >= 0) or none', (v) => Number.isInteger(v) && v >= 0);
      return { label: `patience ${p}`, job: { patience: p } };
    } },
  },
  regularization: {
    title: 'Regularization of the three-dense-layer MLP',
    epochs: 20,
    model: 'mlp3',
    batchSize: 128,
    validationSplit: 0.3,
    variable: { name: `recipe (${recipes.join(', ')})`, defaults: recipes, variant: (s) => {
      const r = choice(s, recipes);
      const l2 = r.includes('l2') ? 1e-3 : 0;
      return { label: r, job: { modelL2: l2, ...(r.includes('dropout') ? { dropout: 0.3 } : {}) } };
    } },
  },
};

export interface StudyOptions {
  /** a preset as the base run (default: the study's) */
  model?: PresetName;
  /** a model file (wgnn-model) as the base run instead of a preset */
  config?: string;
  /** the values of the study's variable (default: the notebook's) */
  values?: string[];
  epochs?: number;
  limit?: number;
  seeds: number;
  data?: string;
  /** where each run's directory goes: `<runs>/<variant>[-seed<k>]` */
  runs?: string;
}

/** A directory name for a variant's run: its label with anything unusual replaced. */
export function runName(label: string, seed: number, seeds: number): string {
  const base = label.replace(/\+/g, '-plus-').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return seeds > 1 ? `${base}-seed${seed}` : base;
}

/** Every job of a study: variants × seeds, in the order they are reported. */
export function studyJobs(name: StudyName, o: StudyOptions): Job[] {
  const s = studies[name];
  // The training-length study's one default run follows --epochs.
  const values = o.values ?? (name === 'epochs' && o.epochs ? [String(o.epochs)] : s.variable.defaults);
  if (values.length === 0) throw new Error(`--values: give at least one ${s.variable.name}`);
  const variants = values.map((v) => s.variable.variant(v.trim()));
  const labels = variants.map((v) => v.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice) throw new Error(`--values: "${twice}" is given twice`);
  const base = baseModel(o);
  const jobs: Job[] = [];
  for (const v of variants) {
    const { dropout, activation, modelL2, ...rest } = v.job;
    // A base with no L2 of its own (not mlp3) gets the recipe's λ on every kernel instead.
    const ownL2 = modelL2 !== undefined && base.ownL2 ? { l2: modelL2 } : {};
    const runWideL2 = modelL2 && !base.ownL2 ? { l2: modelL2 } : {};
    for (let seed = 0; seed < o.seeds; seed++) {
      jobs.push({
        label: v.label,
        seed,
        model: { ...base.spec, dropout, activation, ...ownL2 },
        optimizer: 'adam',
        batchSize: s.batchSize ?? base.batchSize ?? 64,
        epochs: o.epochs ?? s.epochs,
        validationSplit: s.validationSplit ?? 0.1,
        limit: o.limit,
        data: o.data,
        ...runWideL2,
        ...rest,
        ...(o.runs ? { saveDir: join(o.runs, runName(v.label, seed, o.seeds)), test: true } : {}),
      });
    }
  }
  return jobs;

  function baseModel(o: StudyOptions): { spec: Exclude<ModelSpec, { kind: 'cnn-search' }>; ownL2: boolean; batchSize?: number } {
    if (o.config) {
      const { file } = readModelFile(o.config);
      return { spec: { kind: 'config', config: file.model, source: o.config }, ownL2: false, batchSize: file.training?.batchSize };
    }
    const model = o.model ?? s.model;
    return { spec: { kind: model }, ownL2: model === 'mlp3', batchSize: presetTraining[model]?.batchSize };
  }
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
  /** on the test set, at the end (with the restored weights, under early stopping) */
  testAccuracy?: number;
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
  if (r.test) s.testAccuracy = r.test.accuracy;
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
