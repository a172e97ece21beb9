/**
 * One tuning trial on the current backend, wherever it runs (this process, a local worker
 * process, a BullMQ worker on another machine). After every epoch it checkpoints through its
 * store; a trial started again (its worker died) resumes after the last checkpointed epoch, and
 * since shuffling, dropout, augmentation and the learning-rate schedule are functions of the seed
 * and the global step, a resumed trial ends with the same numbers as one that ran straight through.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { limit, splitValidation } from '../data/mnist.ts';
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from '../io/checkpoint.ts';
import { saveModel } from '../io/run-dir.ts';
import { Optimizer } from '../optim/optimizer.ts';
import { makeAugmenter } from '../train/augment.ts';
import { LearningRateScheduler } from '../train/callbacks.ts';
import { evaluate, fit, NonFiniteLossError, type Callback, type EpochLogs } from '../train/fit.ts';
import { schedule } from '../train/schedules.ts';
import { buildCnn } from './models.ts';
import { mnistFor } from './run.ts';
import type { TrialConfig } from './space.ts';
import { openStore, type StoreRef, type TrialStore } from './store.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** The wgnn version a trial was queued by; a worker on another version refuses it. */
export const WGNN_VERSION = version;

export interface TrialJob {
  version: string;
  /** the search's id: trials of different searches never share a checkpoint */
  search: string;
  id: string;
  seed: number;
  config: TrialConfig;
  epochs: number;
  validationSplit: number;
  limit?: number;
  data?: string;
  /** evaluate the finished model on the test set (for the report: trials are ranked by validation) */
  test: boolean;
  /** the median stopping rule: stop after epoch e + 1 when val_accuracy is below stopBelow[e] */
  stopBelow?: (number | null)[];
  store: StoreRef;
}

export interface TrialResult {
  id: string;
  history: EpochLogs[];
  /** stopped early by the median rule, after history.length epochs */
  pruned: boolean;
  /** the loss or a weight became NaN/∞ (the trial scores 0) */
  diverged?: string;
  test: { loss: number; accuracy: number } | null;
  /** training seconds in the run that finished it (a resumed trial: since the resume) */
  seconds: number;
  /** the epoch its checkpoint resumed it after (0: started fresh) */
  resumedAfter: number;
}

/** What a trial reports while it runs; the runner adds the worker's name. */
export type TrialEvent =
  | { kind: 'step'; epoch: number; epochs: number; step: number; steps: number }
  | { kind: 'epoch'; logs: EpochLogs; epochs: number }
  | { kind: 'note'; text: string };

const stores = new Map<string, Promise<TrialStore>>();
/** One store per process and target: a worker keeps its Redis connection across trials. */
function storeFor(ref: StoreRef): Promise<TrialStore> {
  const key = JSON.stringify(ref);
  if (!stores.has(key)) stores.set(key, openStore(ref));
  return stores.get(key)!;
}
export async function closeStores(): Promise<void> {
  const all = [...stores.values()];
  stores.clear();
  for (const s of all) await (await s).close();
}

export async function runTrial(job: TrialJob, report: (e: TrialEvent) => void = () => {}): Promise<TrialResult> {
  if (job.version !== WGNN_VERSION) throw new Error(`trial ${job.id} was queued by wgnn ${job.version}, this is wgnn ${WGNN_VERSION}: run the same version everywhere`);
  const store = await storeFor(job.store);
  const dir = await store.open(job.id);
  const mnist = mnistFor(job.data);
  const all = job.limit ? limit(mnist.train, job.limit) : mnist.train;
  const { train, val } = splitValidation(all, job.validationSplit);
  const c = job.config;
  const model = buildCnn(c).build(job.seed);
  const optimizer = new Optimizer(c.optimizer, { lr: c.lr });
  const steps = Math.ceil(train.count / c.batchSize);
  try {
    let history: EpochLogs[] = [];
    let resumedAfter = 0;
    if (existsSync(join(dir, CHECKPOINT_FILE))) {
      const ckpt = loadCheckpoint(dir, model, optimizer, []);
      history = ckpt.history;
      resumedAfter = ckpt.epoch;
      report({ kind: 'note', text: `resumed after epoch ${ckpt.epoch} from its checkpoint` });
    }
    const callbacks: Callback[] = [];
    if (c.schedule !== 'constant') callbacks.push(new LearningRateScheduler(schedule(c.schedule, { baseLr: c.lr, stepsPerEpoch: steps, epochs: job.epochs })));
    let pruned = history.length < job.epochs && pruneAt(job, history.at(-1));
    callbacks.push({
      onEpochEnd: async (logs, state) => {
        if (logs.epoch < job.epochs && pruneAt(job, logs)) state.stop = pruned = true;
        // Reported once checkpointed: an epoch the coordinator has seen is never trained again.
        await saveCheckpoint(dir, { model, optimizer, history: state.history, stopped: state.stop }, []);
        await store.saveCheckpoint(job.id, dir);
        report({ kind: 'epoch', logs, epochs: job.epochs });
        if (pruned) report({ kind: 'note', text: `stopped early: val_accuracy ${(logs.val_accuracy ?? 0).toFixed(4)} is below ${job.stopBelow![logs.epoch - 1]!.toFixed(4)}, the median of earlier trials after epoch ${logs.epoch}` });
      },
    });
    const started = performance.now();
    let diverged: string | undefined;
    if (!pruned && history.length < job.epochs) {
      try {
        history = await fit(model, optimizer, train, {
          epochs: job.epochs, batchSize: c.batchSize, seed: job.seed, validation: val, callbacks, initialEpoch: history.length, history,
          augment: c.augment ? makeAugmenter(c.augment, model.inputShape, job.seed) : undefined,
          // A signal makes fit yield to the event loop every 100 ms: a queue worker must renew its job's lock.
          signal: new AbortController().signal,
          progressSeconds: 0.5,
          onProgress: (p) => report({ kind: 'step', epoch: p.epoch, epochs: p.epochs, step: p.step, steps: p.steps }),
        });
      } catch (e) {
        if (!(e instanceof NonFiniteLossError)) throw e;
        diverged = e.message;
        report({ kind: 'note', text: `diverged: ${e.message}` });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const test = diverged || !job.test ? null : await evaluate(model, mnist.test);
    if (!diverged) {
      await saveModel(dir, model, { preset: null, training: { tune: { search: job.search, trial: job.id }, config: c, epochs: job.epochs, seed: job.seed, optimizer: c.optimizer, batchSize: c.batchSize, validationSplit: job.validationSplit, limit: job.limit ?? null }, outcome: { epochs: history.length, pruned }, ...(test ? { test } : {}) }, history);
    }
    if (diverged) await store.drop(job.id);
    else await store.saveModel(job.id, dir);
    return { id: job.id, history, pruned, diverged, test, seconds, resumedAfter };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

function pruneAt(job: TrialJob, logs: EpochLogs | undefined): boolean {
  if (!logs) return false;
  const below = job.stopBelow?.[logs.epoch - 1];
  return below !== undefined && below !== null && (logs.val_accuracy ?? 0) < below;
}
