/** `wgnn tune`: the hyperparameter search, with Ctrl-C finishing the running trials and saving them. */
import type { BackendName } from '../backends/select.ts';
import { createPool } from '../study/pool.ts';
import { BEST_FILE, defaultSpace, tune, TRIALS_FILE, type Strategy } from '../study/tune.ts';
import { ProgressLine, WorkProgress } from './progress.ts';

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

export async function tuneCommand(o: TuneCliOptions): Promise<void> {
  const pool = await createPool(o.backend, o.workers);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    console.log('\nInterrupted: finishing the running trials, starting no new one (Ctrl-C again to quit at once)');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    // Random search trains every trial for --max-epochs: its total is known; Hyperband's depends on its rungs.
    const progress = new WorkProgress('Tuning', o.strategy === 'random' ? o.trials * o.maxEpochs : null, new ProgressLine({ log: (t) => void process.stdout.write(t) }));
    const ids = new Map<string, number>();
    const id = (trial: string) => ids.get(trial) ?? (ids.set(trial, ids.size), ids.size - 1);
    const log = (line: string) => {
      progress.clear();
      console.log(line);
      progress.show(true);
    };
    const r = await tune({
      ...o, space: defaultSpace, pool, signal: abort.signal, log,
      progress: (trial, done, p) => (done === null ? progress.finish(id(trial), p?.epochs ?? 0) : progress.update(id(trial), done, `trial ${trial}: epoch ${p!.epoch + 1}/${p!.epochs}`)),
    }).finally(() => progress.stop());
    const wall = r.wallSeconds >= 3600 ? `${Math.floor(r.wallSeconds / 3600)} h ${Math.round((r.wallSeconds % 3600) / 60)} min` : `${r.wallSeconds.toFixed(1)} s`;
    if (r.interrupted) {
      console.log(`Stopped after ${r.trials.length} trials (${r.ran} in this run, ${wall}); they are kept in ${o.out}/${TRIALS_FILE}: run the same command again to resume`);
      process.exitCode = 130;
      return;
    }
    console.log(`Best: ${r.best.id}, val_accuracy ${(r.best.valAccuracy * 100).toFixed(2)}% (${JSON.stringify(r.best.config)}); search wall time ${wall}, ${r.ran} trials trained in this run`);
    console.log(`Saved ${o.out}/${BEST_FILE} (train it: npx wgnn train --config ${o.out}/${BEST_FILE}), ${TRIALS_FILE} and report.md`);
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
  }
}
