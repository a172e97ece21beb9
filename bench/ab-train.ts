/**
 * A/B of a whole training step (bench/training.ts's workloads) between a baseline checkout and
 * this one, in one process, step by step in turn so that both meet the same load:
 * `npx tsx bench/ab-train.ts <baseline checkout> [train-fast,train-cnn] [threads]`. Each side runs
 * its own src/ (layers and kernels) and build/; prints the minimum CPU time of a step (all
 * threads', spinning included) and the ratio.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { trainingWorkloads } from './training.ts';

const base = path.resolve(process.argv[2]);
const keys = (process.argv[3] ?? 'train-fast,train-cnn').split(',');
const threads = Number(process.argv[4] ?? 1) || 1;
const baseUrl = (f: string) => pathToFileURL(path.join(base, f)).href;
const { WasmBackend: BaseBackend } = (await import(baseUrl('src/backends/wasm/backend.ts'))) as { WasmBackend: typeof WasmBackend };
const { trainingWorkloads: baseWorkloads } = (await import(baseUrl('bench/training.ts'))) as { trainingWorkloads: typeof trainingWorkloads };
const a = new BaseBackend({ threads });
const b = new WasmBackend({ threads });

const cpuMs = (run: () => void) => {
  const u = process.cpuUsage();
  run();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e3;
};
for (const key of keys) {
  const wa = baseWorkloads.find((w) => w.key === key)?.wgnn;
  const wb = trainingWorkloads.find((w) => w.key === key)?.wgnn;
  if (!wa || !wb) throw new Error(`ab-train: no wgnn workload '${key}' in both checkouts`);
  const pa = wa(a), pb = wb(b);
  for (let i = 0; i < 2; i++) { pa.run(); pb.run(); }
  let ta = Infinity, tb = Infinity;
  const t0 = performance.now();
  for (let i = 0; i < 40 && (i < 8 || performance.now() - t0 < 20_000); i++) {
    ta = Math.min(ta, cpuMs(pa.run));
    tb = Math.min(tb, cpuMs(pb.run));
  }
  pa.dispose(); pb.dispose();
  console.log(`${key.padEnd(12)} base ${ta.toFixed(1).padStart(7)} ms/step   new ${tb.toFixed(1).padStart(7)} ms/step   saves ${(ta - tb).toFixed(1)} ms (×${(ta / tb).toFixed(3)})`);
}
a.dispose(); b.dispose();
