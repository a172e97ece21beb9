/**
 * `npm run bench:webgpu [-- --quick] [-- --json]`: the WGSL side of the benchmarks on the first
 * WebGPU adapter — each kernel's time, GFLOP/s and GB/s, and the whole training step in images/s
 * with its dispatches and submits. Kernel times come from the GPU's own timestamps where the
 * adapter offers `timestamp-query` (one compute pass around the timed runs), else from wall time
 * around a sync; every result says which (`clock`). Pipelines are compiled, and GEMM tiles timed
 * on a hardware adapter, by a warm-up run first. Training steps are always wall time: they include
 * the host's work of recording them.
 *
 * The measurements are also functions (kernelRate, trainingRate), each returning numbers, for the
 * device kit (bench/device.ts) to import.
 */
import { pathToFileURL } from 'node:url';
import { WebGpuBackend } from '../src/backends/webgpu/backend.ts';
import { trainingWorkloads } from './training.ts';
import { matmulWorkload, unitScale, workloads, type Workload } from './workloads.ts';

export type Clock = 'gpu-timestamp' | 'wall';

export interface KernelRate {
  ms: number;
  gflops: number;
  /** least memory traffic over the time */
  gbs: number;
  clock: Clock;
}

export interface TrainingRate {
  /** images (or sequences) a step */
  batch: number;
  imagesPerSecond: number;
  msPerStep: number;
  /**
   * Milliseconds the host takes to record and submit one step while the device works through the
   * ones before: the least a step can take however fast the GPU is. On a CPU adapter the device
   * runs on the host's cores, so this counts its share of them too.
   */
  hostMsPerStep: number;
  dispatchesPerStep: number;
  submitsPerStep: number;
  /** bind groups created per repeated step: 0 when every step binds the buffers of the one before */
  bindGroupsPerStep: number;
  clock: 'wall';
}

/** One run of a workload: its median time (GPU timestamps where the adapter has them) and rates. */
export async function kernelRate(backend: WebGpuBackend, w: Workload, reps: number, samples: number): Promise<KernelRate> {
  const p = w.wgnn!(backend);
  try {
    const { ms, clock } = await backend.time(() => p.run(), reps, samples);
    return { ms, gflops: (w.amount * 1e-9) / (ms / 1000), gbs: ((w.bytes ?? 0) * 1e-9) / (ms / 1000), clock };
  } finally {
    p.dispose();
  }
}

/** One Adam step of a preset on its batch (bench/training.ts), by wall time around a device wait. */
export async function trainingRate(backend: WebGpuBackend, model = 'cnn', steps = 3, samples = 3): Promise<TrainingRate> {
  const w = trainingWorkloads.find((t) => t.key === `train-${model}`);
  if (!w?.wgnn) throw new Error(`bench: no WebGPU training workload 'train-${model}'`);
  const p = w.wgnn(backend);
  try {
    // Two warm-up steps: the first compiles, times tiles and makes the optimizer's state; the second
    // starts from the buffers every later step starts from.
    for (let i = 0; i < 2; i++) {
      p.run();
      await backend.sync();
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1];
    // As fit runs them: each step recorded and submitted while the device works through the ones
    // before, a wait for the device after each sample.
    const before = backend.stats();
    const times: number[] = [];
    const host: number[] = [];
    for (let s = 0; s < samples; s++) {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) {
        p.run();
        backend.flush();
      }
      host.push((performance.now() - t0) / steps);
      await backend.sync();
      times.push((performance.now() - t0) / steps);
    }
    const after = backend.stats();
    const perStep = (n: number): number => n / (samples * steps);
    const ms = median(times);
    return {
      batch: w.amount, imagesPerSecond: w.amount / (ms / 1000), msPerStep: ms, hostMsPerStep: median(host),
      dispatchesPerStep: perStep(after.dispatches - before.dispatches), submitsPerStep: perStep(after.submits - before.submits),
      bindGroupsPerStep: perStep(after.bindGroups - before.bindGroups), clock: 'wall',
    };
  } finally {
    p.dispose();
  }
}

type Result = { rate: number; unit: string; ms: number; clock: Clock; gbs?: number; hostMsPerStep?: number; dispatchesPerStep?: number; submitsPerStep?: number; bindGroupsPerStep?: number };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const json = args.includes('--json');
  const backend = await WebGpuBackend.create();
  console.error(`device: ${backend.description}${backend.software ? ' (software adapter: proves WGSL correct, ranks nothing for a real GPU)' : ''}; kernel clock: ${backend.clock}`);
  const results: Record<string, Result> = {};
  // 4096³ is 137 GFLOP: seconds on a GPU, minutes on a CPU adapter.
  const big = backend.software ? [] : [matmulWorkload(4096, 4096, 4096, false, true)];
  const kernelList = [...workloads, ...big].filter((w) => w.wgnn && (!quick || w.quick));
  for (const w of kernelList) {
    try {
      const r = await kernelRate(backend, w, quick ? 2 : 5, 3);
      const gbs = w.unit === 'GB/s' ? undefined : r.gbs;
      results[w.key] = { rate: (w.amount * unitScale[w.unit]) / (r.ms / 1000), unit: w.unit, ms: r.ms, clock: r.clock, gbs };
      const rate = results[w.key].rate;
      console.log(`${w.label.padEnd(48)} ${rate.toFixed(rate < 10 ? 2 : 1).padStart(9)} ${w.unit}${gbs !== undefined ? `  ${gbs.toFixed(1)} GB/s` : ''}  (${r.ms.toFixed(3)} ms, ${r.clock})`);
    } catch (e) {
      console.log(`${w.label.padEnd(48)} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  for (const w of trainingWorkloads.filter((t) => t.wgnn && (!quick || t.quick))) {
    try {
      const slow = backend.software;
      const r = await trainingRate(backend, w.key.replace('train-', ''), slow ? 1 : 5, slow ? 2 : 5);
      results[w.key] = {
        rate: r.imagesPerSecond, unit: w.unit, ms: r.msPerStep, clock: r.clock, hostMsPerStep: r.hostMsPerStep,
        dispatchesPerStep: r.dispatchesPerStep, submitsPerStep: r.submitsPerStep, bindGroupsPerStep: r.bindGroupsPerStep,
      };
      console.log(
        `${w.label.padEnd(48)} ${r.imagesPerSecond.toFixed(1).padStart(9)} ${w.unit}  (${r.msPerStep.toFixed(2)} ms a step, recorded in ${r.hostMsPerStep.toFixed(2)}; ` +
          `${r.dispatchesPerStep} dispatches, ${r.submitsPerStep} submits, ${r.bindGroupsPerStep} new bind groups per step)`,
      );
    } catch (e) {
      console.log(`${w.label.padEnd(48)} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (json) console.log(JSON.stringify({ date: new Date().toISOString(), device: backend.description, clock: backend.clock, quick, results }));
  backend.dispose();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
