/** `wgnn inspect RUN_DIR`: per-tensor shapes, counts, statistics and histograms of a trained model. */
import { join } from 'node:path';
import { ReferenceBackend } from '../backends/reference.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { INSPECTION_FILE, writeReport, type Inspection } from '../io/report.ts';
import { loadModel } from '../io/run-dir.ts';
import { weightHistograms, type Histogram } from '../plot/charts.ts';
import { setBackend } from '../tensor/context.ts';
import { resolveRunDir } from './runs.ts';

/** |w| below this counts as near zero: candidates for pruning. */
const NEAR_ZERO = 1e-3;
const BINS = 40;

function stats(v: Float32Array): Omit<Inspection['layers'][number], 'name' | 'shape' | 'params'> {
  let sum = 0, sq = 0, min = Infinity, max = -Infinity, near = 0;
  for (const x of v) {
    sum += x;
    sq += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (Math.abs(x) < NEAR_ZERO) near++;
  }
  const mean = sum / v.length;
  return { mean, std: Math.sqrt(Math.max(0, sq / v.length - mean * mean)), min, max, l2: Math.sqrt(sq), nearZero: near / v.length };
}

function histogram(name: string, v: Float32Array, min: number, max: number): Histogram {
  const span = max - min || 1;
  const counts = new Array<number>(BINS).fill(0);
  for (const x of v) counts[Math.min(BINS - 1, Math.floor(((x - min) / span) * BINS))]++;
  return { name, counts, edges: Array.from({ length: BINS + 1 }, (_, i) => min + (span * i) / BINS) };
}

export async function inspectRun(dir: string, o: { json: boolean }): Promise<Inspection> {
  dir = resolveRunDir(dir);
  // Reading weights needs no fast device: the host backend has them in memory already.
  setBackend(new ReferenceBackend());
  const { model } = loadModel(dir);
  const state = await model.stateDict();
  const trainable = new Set(model.trainable().map((p) => p.fullName));
  const layers: Inspection['layers'] = [];
  const hists: Histogram[] = [];
  for (const [name, t] of Object.entries(state)) {
    const s = stats(t.data);
    layers.push({ name: trainable.has(name) ? name : `${name} (state)`, shape: t.shape, params: t.data.length, ...s });
    if (trainable.has(name)) hists.push(histogram(name, t.data, s.min, s.max));
  }
  const counts = model.countParams();
  model.dispose();
  const inspection: Inspection = { layers, total: counts.total, trainable: counts.trainable };
  writeFileAtomic(join(dir, INSPECTION_FILE), JSON.stringify(inspection, null, 2) + '\n');
  const written = await weightHistograms(hists, join(dir, 'weights'));
  writeReport(dir);
  if (o.json) {
    console.log(JSON.stringify({ ...inspection, files: [...written, join(dir, 'report.md')] }));
    return inspection;
  }
  const head = ['tensor', 'shape', 'params', 'mean', 'std', 'min', 'max', 'L2 norm', `|w|<${NEAR_ZERO}`];
  const rows = layers.map((l) => [l.name, l.shape.join('×'), l.params.toLocaleString('en-US'), l.mean.toFixed(4), l.std.toFixed(4), l.min.toFixed(4), l.max.toFixed(4), l.l2.toFixed(3), `${(l.nearZero * 100).toFixed(1)}%`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  console.log(`\nTotal params: ${counts.total.toLocaleString('en-US')} (trainable ${counts.trainable.toLocaleString('en-US')}, ${(counts.total * 4 / 2 ** 20).toFixed(2)} MB as float32)`);
  console.log(`Wrote ${[...written, join(dir, INSPECTION_FILE), join(dir, 'report.md')].join(', ')}`);
  return inspection;
}
