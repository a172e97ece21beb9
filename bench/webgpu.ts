/**
 * `npm run bench:webgpu [-- --quick] [-- --json]`: the WGSL side of the benchmarks on the first
 * WebGPU adapter — kernel GFLOP/s (the same workloads as `npm run bench`) and the whole training
 * step in images/s with its dispatches and submits. Timing waits for the device: each sample is
 * `reps` runs followed by onSubmittedWorkDone, after pipelines were compiled by a warm-up run.
 * Runs with nothing but Node, this package's files and a Vulkan loader (see bench/RESULTS.md).
 */
import { WebGpuBackend } from '../src/backends/webgpu/backend.ts';
import { trainingWorkloads } from './training.ts';
import { unitScale, workloads, type Prepared, type Workload } from './workloads.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');

async function median(backend: WebGpuBackend, p: Prepared, reps: number, samples: number): Promise<number> {
  p.run();
  await backend.sync();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) p.run();
    await backend.sync();
    times.push((performance.now() - t0) / reps);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const rate = (w: Workload, ms: number) => (w.amount * unitScale[w.unit]) / (ms / 1000);

const backend = await WebGpuBackend.create();
console.error(`device: ${backend.description}${backend.software ? ' (software adapter: proves WGSL correct, ranks nothing for a real GPU)' : ''}`);
const results: Record<string, { rate: number; unit: string; ms: number; dispatchesPerStep?: number; submitsPerStep?: number }> = {};
const list = [...workloads.filter((w) => !quick || w.quick), ...trainingWorkloads.filter((w) => !quick || w.quick)];
for (const w of list) {
  if (!w.wgnn) continue;
  const p = w.wgnn(backend);
  try {
    const slow = backend.software && w.unit === 'images/s';
    const ms = await median(backend, p, slow ? 1 : quick ? 3 : 10, slow ? 2 : quick ? 3 : 5);
    const r: (typeof results)[string] = { rate: rate(w, ms), unit: w.unit, ms };
    if (w.unit === 'images/s') {
      const before = backend.stats();
      p.run();
      await backend.sync();
      const after = backend.stats();
      r.dispatchesPerStep = after.dispatches - before.dispatches;
      r.submitsPerStep = after.submits - before.submits;
    }
    results[w.key] = r;
    const extra = r.dispatchesPerStep !== undefined ? `  (${r.dispatchesPerStep} dispatches, ${r.submitsPerStep} submits per step)` : '';
    console.log(`${w.label.padEnd(48)} ${r.rate.toFixed(r.rate < 10 ? 2 : 1).padStart(9)} ${w.unit}${extra}`);
  } catch (e) {
    console.log(`${w.label.padEnd(48)} failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    p.dispose();
  }
}
if (json) console.log(JSON.stringify({ date: new Date().toISOString(), device: backend.description, quick, results }));
backend.dispose();
