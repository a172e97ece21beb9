/**
 * `npm run bench:webgpu [-- --quick] [-- --json]`: the WGSL side of the benchmarks on the first
 * WebGPU adapter — each kernel's time, GFLOP/s and GB/s, and the whole training step in images/s
 * with its dispatches and submits. Kernel times come from the GPU's own timestamps where the
 * adapter offers `timestamp-query` (one compute pass around the timed runs), else from wall time
 * around a sync; every result says which (`clock`). Pipelines are compiled, and GEMM tiles timed
 * on a hardware adapter, by a warm-up run first. Training steps are always wall time: they include
 * the host's work of recording them.
 *
 * The workloads are also functions (matmulRate, convRate, trainingRate), each returning numbers,
 * for the device kit to import.
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
  imagesPerSecond: number;
  msPerStep: number;
  dispatchesPerStep: number;
  submitsPerStep: number;
  clock: 'wall';
}

async function kernelRate(backend: WebGpuBackend, w: Workload, reps: number, samples: number): Promise<KernelRate> {
  const p = w.wgnn!(backend);
  try {
    const { ms, clock } = await backend.time(() => p.run(), reps, samples);
    return { ms, gflops: (w.amount * 1e-9) / (ms / 1000), gbs: ((w.bytes ?? 0) * 1e-9) / (ms / 1000), clock };
  } finally {
    p.dispose();
  }
}

/** n×n · n×n (1024 and 4096 are the kit's). */
export function matmulRate(backend: WebGpuBackend, n: number, reps = 3, samples = 3): Promise<KernelRate> {
  return kernelRate(backend, matmulWorkload(n, n, n, true), reps, samples);
}

const convKeys = { forward: 'conv2d-fwd', gradInput: 'conv2d-dx', gradWeight: 'conv2d-dw' } as const;

/** The seed CNN's second convolution (64×26×26×32 → 64, 3×3): forward or one of its gradients. */
export function convRate(backend: WebGpuBackend, which: keyof typeof convKeys, reps = 3, samples = 3): Promise<KernelRate> {
  return kernelRate(backend, workloads.find((w) => w.key === convKeys[which])!, reps, samples);
}

/** One Adam step of a seed model on a batch of 64 MNIST images, wall time around a sync. */
export async function trainingRate(backend: WebGpuBackend, model: 'mlp' | 'cnn' | 'resnet' = 'cnn', steps = 3, samples = 3): Promise<TrainingRate> {
  const w = trainingWorkloads.find((t) => t.key === `train-${model}`)!;
  const p = w.wgnn!(backend);
  try {
    p.run();
    await backend.sync();
    const before = backend.stats();
    p.run();
    await backend.sync();
    const after = backend.stats();
    const times: number[] = [];
    for (let s = 0; s < samples; s++) {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) p.run();
      await backend.sync();
      times.push((performance.now() - t0) / steps);
    }
    times.sort((a, b) => a - b);
    const ms = times[times.length >> 1];
    return { imagesPerSecond: w.amount / (ms / 1000), msPerStep: ms, dispatchesPerStep: after.dispatches - before.dispatches, submitsPerStep: after.submits - before.submits, clock: 'wall' };
  } finally {
    p.dispose();
  }
}

type Result = { rate: number; unit: string; ms: number; clock: Clock; gbs?: number; dispatchesPerStep?: number; submitsPerStep?: number };

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
      const r = await trainingRate(backend, w.key.replace('train-', '') as 'mlp' | 'cnn' | 'resnet', slow ? 1 : 5, slow ? 2 : 5);
      results[w.key] = { rate: r.imagesPerSecond, unit: w.unit, ms: r.msPerStep, clock: r.clock, dispatchesPerStep: r.dispatchesPerStep, submitsPerStep: r.submitsPerStep };
      console.log(`${w.label.padEnd(48)} ${r.imagesPerSecond.toFixed(1).padStart(9)} ${w.unit}  (${r.dispatchesPerStep} dispatches, ${r.submitsPerStep} submits per step)`);
    } catch (e) {
      console.log(`${w.label.padEnd(48)} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (json) console.log(JSON.stringify({ date: new Date().toISOString(), device: backend.description, clock: backend.clock, quick, results }));
  backend.dispose();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
