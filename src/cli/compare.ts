/** `wgnn compare RUN...`: any runs' curves overlaid in one chart per metric, and their results in one table. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { readRunConfig, type RunConfig } from '../io/run-dir.ts';
import { overlayCurves, type Series } from '../plot/charts.ts';
import type { EpochLogs } from '../train/fit.ts';
import { defaultRunDir, resolveRunDir } from './runs.ts';

export interface CompareOptions {
  /** default: runs/compare-<time> */
  out?: string;
  json?: boolean;
  log?: (line: string) => void;
}

interface Run {
  dir: string;
  label: string;
  config: RunConfig;
  history: EpochLogs[];
}

function readHistory(dir: string): EpochLogs[] {
  const path = join(dir, 'history.json');
  if (!existsSync(path)) throw new Error(`${path}: not found (has the run finished an epoch?)`);
  let h: unknown;
  try {
    h = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(h) || h.some((e) => typeof e?.epoch !== 'number' || typeof e?.loss !== 'number')) {
    throw new Error(`${path}: expected a list of epochs, each with numeric "epoch" and "loss"`);
  }
  return h as EpochLogs[];
}

/** Labels for the legend: the directory names, or longer paths where two runs share a name. */
function labels(dirs: string[]): string[] {
  const names = dirs.map((d) => basename(d));
  return dirs.map((d, i) => (names.filter((n) => n === names[i]).length > 1 ? relative('.', d) || d : names[i]));
}

const f4 = (v: number | undefined | null) => (v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(4));

export interface ComparisonRow {
  run: string;
  dir: string;
  model: string;
  epochs: number;
  batchSize: unknown;
  optimizer: unknown;
  bestValAccuracy: number | null;
  bestEpoch: number | null;
  lastValLoss: number | null;
  stoppedEpoch: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
}

function row(r: Run): ComparisonRow {
  let best: EpochLogs | null = null;
  for (const h of r.history) if (h.val_accuracy !== undefined && (!best || h.val_accuracy > best.val_accuracy!)) best = h;
  const s = (r.config.training.settings ?? {}) as Record<string, unknown>;
  const outcome = (r.config.outcome ?? {}) as { stoppedEpoch?: number | null };
  return {
    run: r.label,
    dir: r.dir,
    model: r.config.preset ?? (typeof s.config === 'string' ? basename(s.config) : 'model'),
    epochs: r.history.length,
    batchSize: r.config.training.batchSize ?? s.batchSize ?? null,
    optimizer: r.config.training.optimizer ?? s.optimizer ?? null,
    bestValAccuracy: best?.val_accuracy ?? null,
    bestEpoch: best?.epoch ?? null,
    lastValLoss: r.history.at(-1)?.val_loss ?? null,
    stoppedEpoch: outcome.stoppedEpoch ?? null,
    testLoss: r.config.test?.loss ?? null,
    testAccuracy: r.config.test?.accuracy ?? null,
  };
}

export function comparisonTable(rows: ComparisonRow[]): string {
  const head = ['run', 'model', 'epochs', 'batch', 'optimizer', 'best val acc (epoch)', 'last val loss', 'test loss', 'test acc'];
  const body = rows.map((r) => [
    r.run, r.model, `${r.epochs}${r.stoppedEpoch ? ' (stopped)' : ''}`, String(r.batchSize ?? '–'), String(r.optimizer ?? '–'),
    r.bestValAccuracy === null ? '–' : `${f4(r.bestValAccuracy)} (${r.bestEpoch})`, f4(r.lastValLoss), f4(r.testLoss), f4(r.testAccuracy),
  ]);
  return ['| ' + head.join(' | ') + ' |', '| ' + head.map((_, i) => (i < 2 || i === 4 ? '---' : '---:')).join(' | ') + ' |', ...body.map((b) => '| ' + b.join(' | ') + ' |')].join('\n');
}

export async function compareRuns(dirs: string[], o: CompareOptions = {}): Promise<{ out: string; rows: ComparisonRow[]; files: string[] }> {
  const say = o.log ?? ((line: string) => (o.json ? process.stderr : process.stdout).write(line + '\n'));
  if (dirs.length === 0) throw new Error('compare: give at least one run directory');
  const resolved = dirs.map(resolveRunDir);
  const names = labels(resolved);
  // Every run is read and checked before anything is written.
  const runs: Run[] = resolved.map((dir, i) => ({ dir, label: names[i], config: readRunConfig(dir), history: readHistory(dir) }));
  const out = o.out ?? defaultRunDir('compare');
  mkdirSync(out, { recursive: true });
  const series: Series[] = runs.map((r) => ({ label: r.label, history: r.history, stoppedEpoch: ((r.config.outcome ?? {}) as { stoppedEpoch?: number }).stoppedEpoch || undefined }));
  const files = [
    ...(await overlayCurves(series, 'loss', join(out, 'loss'))),
    ...(await overlayCurves(series, 'accuracy', join(out, 'accuracy'))),
  ];
  const rows = runs.map(row);
  const table = comparisonTable(rows);
  const md = [
    `# Comparison of ${runs.length} runs`,
    '',
    table,
    '',
    'Losses include each run\'s L2 penalty (as Keras reports them); "test" is the score saved at the end of training.',
    '',
    '![loss](loss.png)',
    '![accuracy](accuracy.png)',
    '',
    ...runs.map((r) => `- ${r.label}: \`${r.dir}\``),
    '',
  ].join('\n');
  writeFileAtomic(join(out, 'comparison.md'), md);
  files.push(join(out, 'comparison.md'));
  if (o.json) console.log(JSON.stringify({ out, rows, files }));
  else {
    say(table);
    say(`Wrote ${files.join(', ')}`);
  }
  return { out, rows, files };
}
