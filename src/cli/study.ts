/** `wgnn study NAME`: one of the seed notebooks' experiments, trained, plotted and reported. */
import type { BackendName } from '../backends/select.ts';
import type { PresetName } from '../layers/presets.ts';
import { createPool } from '../study/pool.ts';
import { writeStudy } from '../study/report.ts';
import { studyJobs, summarizeVariants, type StudyName } from '../study/studies.ts';
import { ProgressLine, WorkProgress } from './progress.ts';
import { defaultRunDir } from './runs.ts';

export interface StudyCliOptions {
  model?: PresetName;
  /** a model file as the base run instead of a preset */
  config?: string;
  /** the values of the study's variable */
  values?: string[];
  epochs?: number;
  limit?: number;
  seeds: number;
  workers: number;
  backend: BackendName;
  data?: string;
  /** default: runs/study-<name>-<time> */
  out?: string;
  /** narration; quiet in tests */
  log?: (line: string) => void;
}

export async function runStudy(name: StudyName, o: StudyCliOptions): Promise<{ report: string; dir: string }> {
  const progress = o.log ? null : new WorkProgress(`Study ${name}`, null, new ProgressLine({ log: (t) => void process.stdout.write(t) }));
  const say = o.log ?? ((line: string) => {
    progress?.clear();
    console.log(line);
    progress?.show(true);
  });
  const out = o.out ?? defaultRunDir(`study-${name}`);
  // Read before any training starts, so that a bad value or model file fails at once.
  const jobs = studyJobs(name, { ...o, runs: out });
  const pool = await createPool(o.backend, o.workers);
  const started = performance.now();
  try {
    say(`Study ${name}: ${jobs.length} runs (${new Set(jobs.map((j) => j.label)).size} variants × ${o.seeds} seeds) on ${pool.description}`);
    let done = 0;
    progress?.setTotal(jobs.reduce((s, j) => s + j.epochs, 0));
    const results = await Promise.all(
      jobs.map(async (job, id) => {
        const r = await pool.run(job, (p) => progress?.update(id, p.epoch + p.step / p.steps, `${job.label}${o.seeds > 1 ? ` seed ${job.seed}` : ''}: epoch ${p.epoch + 1}/${p.epochs}`));
        // Early stopping ends a run before its epochs: it counts as done.
        progress?.finish(id, job.epochs);
        const best = Math.max(...r.history.map((h) => h.val_accuracy ?? 0));
        say(`  [${++done}/${jobs.length}] ${job.label} seed ${job.seed}: ${r.history.length} epochs, best val accuracy ${best.toFixed(4)}${r.test ? `, test accuracy ${r.test.accuracy.toFixed(4)}` : ''}, ${r.wallSeconds.toFixed(1)} s`);
        return r;
      }),
    );
    progress?.stop();
    const wallSeconds = (performance.now() - started) / 1000;
    const j = jobs[0];
    const settings = { model: j.model.kind === 'config' ? o.config : j.model.kind, epochs: j.epochs, batchSize: name === 'batch-size' ? undefined : j.batchSize, validationSplit: j.validationSplit, optimizer: name === 'optimizer' ? undefined : j.optimizer, limit: o.limit };
    const report = await writeStudy(out, { name, seeds: o.seeds, backend: pool.description, settings, wallSeconds }, results, summarizeVariants(results));
    say(`Wrote ${out}/: report.md, results.csv, summary.json, loss/accuracy .png and .svg, and a run directory per variant (${wallSeconds.toFixed(1)} s)`);
    say(`Overlay any of them with: npx wgnn compare ${results.slice(0, 2).map((r) => r.dir).join(' ')}`);
    return { report, dir: out };
  } finally {
    progress?.stop();
    await pool.close();
  }
}
