/**
 * The hyperparameter search: random search, Hyperband and TPE over a search space file, trials
 * run by a runner (this process, local worker processes, or BullMQ workers over Redis). The
 * search is a pure function of its settings and of the results of earlier trials: TPE proposes
 * and the median stopping rule sets its thresholds round by round, each round from the rounds
 * before it only, so the same seed gives the same trials on one process or on five. Every
 * finished trial is written to trials.json at once; run again, a search skips what is done, and
 * with more --trials it runs only the new ones.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import type { EpochLogs } from '../train/fit.ts';
import { buildCnn, MODEL_FILE_FORMAT, type ModelFile } from './models.ts';
import { sampleConfig, spaceKey, trialRng, type SearchSpace, type TrialConfig } from './space.ts';
import type { StoreRef, TrialStore } from './store.ts';
import { proposeTpe } from './tpe.ts';
import { WGNN_VERSION, type TrialEvent, type TrialJob, type TrialResult } from './trial.ts';

export const strategies = ['random', 'hyperband', 'tpe'] as const;
export type Strategy = (typeof strategies)[number];

export interface TuneSettings {
  strategy: Strategy;
  trials: number;
  maxEpochs: number;
  seed: number;
  validationSplit: number;
  limit?: number;
  data?: string;
  space: SearchSpace;
  /** trials proposed together: TPE and the stopping thresholds see only earlier rounds */
  parallel: number;
  /** stop a random or TPE trial whose val_accuracy after an epoch is below the median of earlier trials' */
  earlyStop: boolean;
  /** evaluate each finished trial on the test set too (default true; reported, never used to rank) */
  test?: boolean;
}

/** The numbers of one epoch kept per trial: its learning curve. */
export type CurvePoint = Pick<EpochLogs, 'epoch' | 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy'>;

export interface Trial {
  id: string;
  config: TrialConfig;
  /** epochs asked for */
  epochs: number;
  /** the last epoch's val_accuracy: the objective (the weights kept are the last epoch's) */
  valAccuracy: number;
  valLoss: number;
  curve: CurvePoint[];
  pruned: boolean;
  diverged?: string;
  testAccuracy: number | null;
  seconds: number;
  /** the stopping thresholds it ran under (part of what the trial is) */
  stopBelow?: (number | null)[];
}

type StoredSettings = Omit<TuneSettings, 'data' | 'trials' | 'space' | 'test'> & { space: ReturnType<typeof spaceKey> };

interface TrialsFile {
  format: 'wgnn-trials';
  search: string;
  settings: StoredSettings;
  trials: Trial[];
}

export const TRIALS_FILE = 'trials.json';
export const BEST_FILE = 'best-model.json';
export const BEST_DIR = 'best';

/** One trial to train: Hyperband asks for the same configuration again with more epochs. */
export interface Request {
  id: string;
  config: TrialConfig;
  epochs: number;
  stopBelow?: (number | null)[];
}

type Run = (r: Request) => Promise<Trial | null>;

const ETA = 3;
/** TPE's first trials are random: it needs a few results to model. */
const TPE_STARTUP = 5;
/** The median stopping rule needs this many earlier curves at an epoch before it stops anything. */
const MIN_CURVES = 3;

/** Hyperband's brackets for `maxEpochs`, with the configuration counts scaled to `trials` in all. */
export function hyperbandBrackets(maxEpochs: number, trials: number): { s: number; n: number; r: number }[] {
  const sMax = Math.floor(Math.log(maxEpochs) / Math.log(ETA) + 1e-9);
  const raw = Array.from({ length: sMax + 1 }, (_, k) => {
    const s = sMax - k;
    return { s, n: Math.ceil(((sMax + 1) / (s + 1)) * ETA ** s), r: maxEpochs / ETA ** s };
  });
  const total = raw.reduce((a, b) => a + b.n, 0);
  const scaled = raw.map((b) => ({ ...b, n: Math.max(1, Math.floor((b.n * trials) / total)) }));
  // What flooring left over goes to the most exploratory bracket; never more than `trials` in all.
  let left = trials - scaled.reduce((a, b) => a + b.n, 0);
  if (left > 0) scaled[0].n += left;
  for (let k = scaled.length - 1; left < 0 && k >= 0; k--) {
    const cut = Math.min(scaled[k].n, -left);
    scaled[k].n -= cut;
    left += cut;
  }
  return scaled.filter((b) => b.n > 0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The median stopping rule's threshold after each epoch but the last, from earlier trials' curves. */
export function stoppingThresholds(earlier: readonly Trial[], epochs: number): (number | null)[] {
  return Array.from({ length: epochs - 1 }, (_, e) => {
    const seen = earlier.map((t) => t.curve[e]?.val_accuracy).filter((v): v is number => v !== undefined);
    return seen.length >= MIN_CURVES ? Number(median(seen).toFixed(6)) : null;
  });
}

async function hyperband(t: TuneSettings, run: Run): Promise<void> {
  let offset = 0;
  const brackets = hyperbandBrackets(t.maxEpochs, t.trials).map((b) => {
    const first = offset;
    offset += b.n;
    return { ...b, first };
  });
  // Brackets are independent: they run side by side; rounds inside one wait for each other.
  await Promise.all(
    brackets.map(async (b) => {
      let alive = Array.from({ length: b.n }, (_, j) => b.first + j);
      for (let i = 0; i <= b.s && alive.length; i++) {
        const epochs = i === b.s ? t.maxEpochs : Math.max(1, Math.round(b.r * ETA ** i));
        const done = await Promise.all(alive.map((c) => run({ id: `b${b.s}-r${i}-c${c}`, config: sampleConfig(t.space, t.seed, c), epochs })));
        if (done.some((d) => d === null)) return; // interrupted: promotions need every result
        const keep = Math.floor(alive.length / ETA);
        alive = alive
          .map((c, k) => ({ c, acc: done[k]!.valAccuracy }))
          .sort((x, y) => y.acc - x.acc || x.c - y.c)
          .slice(0, keep)
          .map((x) => x.c);
      }
    }),
  );
}

/** Random search and TPE, in rounds of `parallel` trials (random without early stopping: one round). */
async function rounds(t: TuneSettings, run: Run): Promise<void> {
  const size = t.strategy === 'random' && !t.earlyStop ? Math.max(1, t.trials) : t.parallel;
  const done: Trial[] = [];
  for (let first = 0; first < t.trials; first += size) {
    const earlier = [...done];
    const stopBelow = t.earlyStop ? stoppingThresholds(earlier, t.maxEpochs) : undefined;
    const requests = Array.from({ length: Math.min(size, t.trials - first) }, (_, k) => {
      const i = first + k;
      const config = t.strategy === 'tpe' && i >= TPE_STARTUP && earlier.length > 0
        ? proposeTpe(t.space, earlier.map((p) => ({ config: p.config, score: p.valAccuracy })), trialRng(t.seed, i, 1))
        : sampleConfig(t.space, t.seed, i);
      return { id: `t${i}`, config, epochs: t.maxEpochs, ...(stopBelow?.some((v) => v !== null) ? { stopBelow } : {}) };
    });
    const results = await Promise.all(requests.map(run));
    if (results.some((r) => r === null)) return;
    done.push(...(results as Trial[]));
  }
}

/** Runs trials: this process, local worker processes, or workers on a queue. */
export interface TrialRunner {
  readonly description: string;
  /** trials handed out at once (local: the worker count; a queue: all that are ready) */
  readonly capacity: number;
  /** where the trials of search `search` keep checkpoints and models */
  storeRef(search: string, out: string): StoreRef;
  run(job: TrialJob, report?: (e: TrialEvent, worker: string) => void): Promise<TrialResult>;
}

export interface TuneOptions extends TuneSettings {
  out: string;
  runner: TrialRunner;
  /** opens the store of `storeRef` (the coordinator copies the best model out of it) */
  openStore: (ref: StoreRef) => Promise<TrialStore>;
  /** aborting starts no new trial; running ones finish and are saved */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** what running trials report: steps, epochs, notes, and which worker runs them */
  events?: (trial: string, e: TrialEvent, worker: string) => void;
}

export interface TuneResult {
  trials: Trial[];
  best: Trial;
  /** trials trained by this call (the rest came from trials.json) */
  ran: number;
  interrupted: boolean;
  wallSeconds: number;
  search: string;
}

const sameRequest = (t: Trial, r: Request) => JSON.stringify([t.config, t.epochs, t.stopBelow ?? null]) === JSON.stringify([r.config, r.epochs, r.stopBelow ?? null]);

function loadTrials(path: string, search: string): Map<string, Trial> {
  if (!existsSync(path)) return new Map();
  let f: TrialsFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as TrialsFile;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message}); move it away to start a new search`);
  }
  if (f.format !== 'wgnn-trials' || !Array.isArray(f.trials)) throw new Error(`${path}: not a wgnn trials file`);
  if (f.search !== search) {
    throw new Error(`${path}: holds a search with other settings (${JSON.stringify(f.settings)}); use another --out, or the same settings (any --trials) to resume or extend it`);
  }
  return new Map(f.trials.map((t) => [t.id, t]));
}

/** The search's id: a hash of every setting that shapes its trials (not --trials: a search can be extended). */
export function searchId(settings: StoredSettings): string {
  return 's' + createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
}

const row = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
const WIDTHS = [12, 6, 4, 4, 5, 7, 9, 9, 11, 5, 7, 6, 8, 8];
const HEADER = ['trial', 'arch', 'f1', 'f2', 'units', 'dropout', 'lr', 'optimizer', 'schedule', 'batch', 'augment', 'epochs', 'val_acc', 'seconds'];
const cells = (t: Trial) => {
  const c = t.config;
  return [t.id, c.arch, c.filters1, c.filters2, c.units, c.dropout, c.lr, c.optimizer, c.schedule, c.batchSize, c.augment ?? '-', `${t.curve.length}/${t.epochs}`, t.valAccuracy.toFixed(4), t.seconds.toFixed(1)];
};

function trialOf(r: Request, res: TrialResult): Trial {
  const curve = res.history.map((h) => ({ epoch: h.epoch, loss: h.loss, accuracy: h.accuracy, val_loss: h.val_loss, val_accuracy: h.val_accuracy }));
  const last = curve.at(-1);
  return {
    id: r.id, config: r.config, epochs: r.epochs, valAccuracy: res.diverged ? 0 : last?.val_accuracy ?? 0, valLoss: res.diverged ? Number.NaN : last?.val_loss ?? Number.NaN,
    curve, pruned: res.pruned, ...(res.diverged ? { diverged: res.diverged } : {}), testAccuracy: res.test?.accuracy ?? null, seconds: res.seconds, ...(r.stopBelow ? { stopBelow: r.stopBelow } : {}),
  };
}

export async function tune(o: TuneOptions): Promise<TuneResult> {
  const say = o.log ?? ((line: string) => console.log(line));
  if (o.strategy === 'hyperband' && o.earlyStop) throw new Error('--early-stop is for random and tpe: Hyperband stops poor trials by its own rungs');
  mkdirSync(o.out, { recursive: true });
  const settings: StoredSettings = {
    strategy: o.strategy, maxEpochs: o.maxEpochs, seed: o.seed, validationSplit: o.validationSplit, limit: o.limit, parallel: o.parallel, earlyStop: o.earlyStop, space: spaceKey(o.space),
  };
  const search = searchId(settings);
  const path = join(o.out, TRIALS_FILE);
  const stored = loadTrials(path, search);
  const finished = new Map<string, Trial>(stored);
  const save = () => writeFileAtomic(path, JSON.stringify({ format: 'wgnn-trials', search, settings, trials: [...finished.values()] } satisfies TrialsFile, null, 1) + '\n');
  const storeRef = o.runner.storeRef(search, o.out);
  let best: Trial | null = null;
  let ran = 0;
  let interrupted = false;
  const started = performance.now();
  // A slot per worker: a trial is handed out only when one is free, so an abort stops new ones.
  let free = Math.max(1, o.runner.capacity);
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => (waiting.length ? waiting.shift()!() : free++);

  const show = (t: Trial, from: string) => {
    const isBest = !best || t.valAccuracy > best.valAccuracy;
    if (isBest) best = t;
    say(row(cells(t), WIDTHS) + (t.pruned ? '  stopped early' : '') + (t.diverged ? '  diverged' : '') + (isBest ? '  * best so far' : '') + from);
  };
  say(`Tuning ${o.space.source} (search ${search}): ${o.strategy}${o.earlyStop ? ' with early stopping by learning curves' : ''}, ${o.trials} configurations, up to ${o.maxEpochs} epochs each, on ${o.runner.description}${stored.size ? `; ${stored.size} trials already in ${path}` : ''}`);
  say(row(HEADER, WIDTHS));

  const run: Run = async (r) => {
    const prior = stored.get(r.id);
    if (prior && sameRequest(prior, r)) {
      show(prior, '  (from trials.json)');
      return prior;
    }
    await slot();
    try {
      if (o.signal?.aborted) {
        interrupted = true;
        return null;
      }
      const job: TrialJob = {
        version: WGNN_VERSION, search, id: r.id, seed: o.seed, config: r.config, epochs: r.epochs, validationSplit: o.validationSplit,
        limit: o.limit, data: o.data, test: o.test ?? true, ...(r.stopBelow ? { stopBelow: r.stopBelow } : {}), store: storeRef,
      };
      const curve: EpochLogs[] = [];
      const res = await o.runner.run(job, (e, worker) => {
        // Each trial's curve so far, where `wgnn board OUT` finds it (two levels down), wherever the trial runs.
        if (e.kind === 'epoch') {
          curve[e.logs.epoch - 1] = e.logs;
          mkdirSync(join(o.out, 'trials', r.id), { recursive: true });
          writeFileAtomic(join(o.out, 'trials', r.id, 'history.json'), JSON.stringify(curve.filter(Boolean), null, 1) + '\n');
        }
        o.events?.(r.id, e, worker);
      });
      const t = trialOf(r, res);
      finished.set(r.id, t);
      ran++;
      save();
      show(t, '');
      return t;
    } finally {
      release();
    }
  };
  await (o.strategy === 'hyperband' ? hyperband(o, run) : rounds(o, run));
  save();
  const trials = [...finished.values()];
  const top: Trial | null = best;
  if (!top) throw new Error('no trial finished: nothing to report');
  const wallSeconds = (performance.now() - started) / 1000;
  if (!interrupted) await saveBest(o, top, trials, storeRef, wallSeconds);
  return { trials, best: top, ran, interrupted, wallSeconds, search };
}

/** best/ (the best trial's run directory), best-model.json and report.md; other trials' models are dropped. */
async function saveBest(o: TuneOptions, top: Trial, trials: Trial[], storeRef: StoreRef, wallSeconds: number): Promise<void> {
  const store = await o.openStore(storeRef);
  try {
    const copied = await store.copyModel(top.id, join(o.out, BEST_DIR));
    if (!copied) throw new Error(`the best trial ${top.id}'s model is missing from its store (${storeRef.kind === 'dir' ? storeRef.root : storeRef.url}): was it deleted?`);
    for (const t of trials) if (t.id !== top.id) await store.drop(t.id);
  } finally {
    await store.close();
  }
  const c = top.config;
  const file: ModelFile = {
    format: MODEL_FILE_FORMAT,
    source: `wgnn tune (${o.strategy}) trial ${top.id}: val_accuracy ${top.valAccuracy.toFixed(4)} after ${top.curve.length} epochs (schedule ${c.schedule}, augment ${c.augment ?? 'none'})`,
    model: buildCnn(c).config(),
    training: { optimizer: c.optimizer, lr: c.lr, batchSize: c.batchSize, epochs: top.curve.length },
  };
  writeFileAtomic(join(o.out, BEST_FILE), JSON.stringify(file, null, 2) + '\n');
  const summed = trials.reduce((a, t) => a + t.seconds, 0);
  const lines = [
    `# Tuning ${o.space.source} (${o.strategy})`,
    '',
    `${trials.length} trials; training time summed over trials ${summed.toFixed(1)} s; this call's wall time ${wallSeconds.toFixed(1)} s on ${o.runner.description}.`,
    '',
    `Best: trial ${top.id}, val_accuracy ${(top.valAccuracy * 100).toFixed(2)}%${top.testAccuracy !== null ? `, test accuracy ${(top.testAccuracy * 100).toFixed(2)}%` : ''}: ${JSON.stringify(c)}. Its trained model is \`${BEST_DIR}/\` (\`npx wgnn evaluate ${join(o.out, BEST_DIR)}\`); \`${BEST_FILE}\` retrains it (\`npx wgnn train --config ${join(o.out, BEST_FILE)}\`).`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...[...trials].sort((a, b) => b.valAccuracy - a.valAccuracy).map((t) => `| ${cells(t).join(' | ')} |`),
    '',
  ];
  writeFileAtomic(join(o.out, 'report.md'), lines.join('\n'));
}
