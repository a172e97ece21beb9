/** `wgnn tune`: the hyperparameter search, with Ctrl-C finishing the running trials and saving them. */
import type { BackendName } from '../backends/select.ts';
import { createPool, poolRunner } from '../study/pool.ts';
import { queueRunner } from '../study/queue.ts';
import { readSpace } from '../study/space.ts';
import { openStore } from '../study/store.ts';
import type { TrialEvent } from '../study/trial.ts';
import { BEST_DIR, BEST_FILE, tune, TRIALS_FILE, type Strategy, type TrialRunner } from '../study/tune.ts';
import { ProgressLine } from './progress.ts';

export interface TuneCliOptions {
  space: string;
  strategy: Strategy;
  trials: number;
  maxEpochs?: number;
  workers: number;
  parallel: number;
  earlyStop?: boolean;
  test: boolean;
  queue?: string;
  limit?: number;
  validationSplit: number;
  seed: number;
  backend: BackendName;
  data?: string;
  out: string;
}

/** One line per finished epoch and per note, prefixed with the trial and its worker. */
export function eventLine(trial: string, e: TrialEvent, worker: string): string | null {
  const who = `[${trial} ${worker}]`;
  if (e.kind === 'note') return `${who} ${e.text}`;
  if (e.kind !== 'epoch') return null;
  const l = e.logs;
  const val = l.val_accuracy !== undefined ? ` - val_loss: ${l.val_loss!.toFixed(4)} - val_accuracy: ${l.val_accuracy.toFixed(4)}` : '';
  return `${who} epoch ${l.epoch}/${e.epochs} - loss: ${l.loss.toFixed(4)} - accuracy: ${l.accuracy.toFixed(4)}${val} - ${l.seconds.toFixed(1)} s`;
}

export async function tuneCommand(o: TuneCliOptions): Promise<void> {
  const space = readSpace(o.space);
  if (o.queue && o.workers > 1) throw new Error('--queue and --workers exclude each other: with --queue, start `wgnn worker --queue URL` on each machine');
  const queue = o.queue ? await queueRunner(o.queue) : null;
  const pool = queue ? null : await createPool(o.backend, o.workers);
  const runner: TrialRunner = queue ?? poolRunner(pool!, o.workers);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    console.log('\nInterrupted: finishing the running trials, starting no new one (Ctrl-C again to quit at once)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = new ProgressLine({ log: (t) => void process.stdout.write(t) });
  const running = new Map<string, string>();
  const log = (line: string) => {
    progress.clear();
    console.log(line);
    progress.touch();
  };
  try {
    const r = await tune({
      strategy: o.strategy, trials: o.trials, maxEpochs: o.maxEpochs ?? space.epochs, seed: o.seed, validationSplit: o.validationSplit, limit: o.limit, data: o.data, space,
      parallel: o.parallel, earlyStop: o.earlyStop ?? o.strategy === 'tpe', test: o.test, out: o.out, runner, openStore, signal: abort.signal, log,
      events: (trial, e, worker) => {
        const line = eventLine(trial, e, worker);
        if (line) log(line);
        if (e.kind === 'step') {
          running.set(trial, `${trial} ${e.epoch + 1}/${e.epochs} ${Math.round((100 * e.step) / e.steps)}%`);
          if (e.step === e.steps && e.epoch + 1 === e.epochs) running.delete(trial);
          progress.show(`Running: ${[...running.values()].join(', ')}`);
        }
      },
    }).finally(() => progress.clear());
    const wall = r.wallSeconds >= 3600 ? `${Math.floor(r.wallSeconds / 3600)} h ${Math.round((r.wallSeconds % 3600) / 60)} min` : `${r.wallSeconds.toFixed(1)} s`;
    if (r.interrupted) {
      console.log(`Stopped after ${r.trials.length} trials (${r.ran} in this run, ${wall}); they are kept in ${o.out}/${TRIALS_FILE}: run the same command again to resume`);
      process.exitCode = 130;
      return;
    }
    const test = r.best.testAccuracy !== null ? `, test accuracy ${(r.best.testAccuracy * 100).toFixed(2)}%` : '';
    console.log(`Best: ${r.best.id}, val_accuracy ${(r.best.valAccuracy * 100).toFixed(2)}%${test} (${JSON.stringify(r.best.config)}); search wall time ${wall}, ${r.ran} trials trained in this run`);
    console.log(`Saved ${o.out}/${BEST_DIR}/ (the trained model: npx wgnn evaluate ${o.out}/${BEST_DIR}), ${BEST_FILE} (retrain it: npx wgnn train --config ${o.out}/${BEST_FILE}), ${TRIALS_FILE} and report.md`);
  } finally {
    process.off('SIGINT', onSigint);
    await pool?.close();
    await queue?.close();
  }
}
