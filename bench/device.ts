/**
 * The device benchmark: what the device kit's run.sh prints, as one JSON line on stdout
 * (everything else goes to stderr). On the first WebGPU adapter: matmul at 1024³ and 4096³, the
 * seed CNN's second convolution forward and both gradients, a seed-CNN training step (images/s,
 * dispatches and submits a step), and the one-epoch `fast` recipe's wall time and test accuracy.
 * `--quick` (or WGNN_KIT_QUICK=1) shrinks every size so that a software adapter finishes in
 * seconds: it proves the kit runs, and measures nothing worth keeping.
 *
 * `npx tsx bench/device.ts [--quick]` runs it from a checkout; `npm run device:pack` bundles it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebGpuBackend } from '../src/backends/webgpu/backend.ts';
import { train } from '../src/cli/train.ts';
import { oneEpochRecipe } from '../src/layers/presets.ts';
import { trainingWorkloads } from './training.ts';
import type { Conv2dParams } from '../src/kernels/conv2d.ts';
import { kernels as registry } from '../src/kernels/registry.ts';
import { launch, matmulWorkload, unitScale, type Prepared, type Workload } from './workloads.ts';

const quick = process.argv.includes('--quick') || process.env.WGNN_KIT_QUICK === '1';

// stdout carries the one JSON line; the engine's own lines go to stderr.
const emit = (line: string): boolean => process.stdout.write(line + '\n');
console.log = (...args: unknown[]) => void process.stderr.write(args.map(String).join(' ') + '\n');

/** Median milliseconds of one run: `reps` runs then a device sync, per sample, after a warm-up run (then `warm`). */
async function median(backend: WebGpuBackend, p: Prepared, reps: number, samples: number, warm?: () => void): Promise<number> {
  p.run();
  await backend.sync();
  warm?.();
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

interface Rate {
  label: string;
  unit: string;
  rate: number;
  ms: number;
}

async function measure(backend: WebGpuBackend, w: Workload, reps: number, samples: number): Promise<Rate | { label: string; error: string }> {
  const p = w.wgnn!(backend);
  try {
    const ms = await median(backend, p, reps, samples);
    return { label: w.label, unit: w.unit, rate: (w.amount * unitScale[w.unit]) / (ms / 1000), ms };
  } catch (e) {
    return { label: w.label, error: (e as Error).message.split('\n')[0] };
  } finally {
    p.dispose();
  }
}

/** The seed CNN's second convolution (64×32×26×26 → 64, 3×3, valid); quick: a batch of 2. */
function convs(n: number): Record<string, Workload> {
  const p: Conv2dParams = { n, c: 32, h: 26, w: 26, k: 64, kh: 3, kw: 3, stride: 1, padTop: 0, padLeft: 0, oh: 24, ow: 24, bias: false };
  const x = p.n * p.c * p.h * p.w;
  const y = p.n * p.k * p.oh * p.ow;
  const w = p.k * p.c * p.kh * p.kw;
  const amount = 2 * p.n * p.k * p.c * p.kh * p.kw * p.oh * p.ow;
  const conv = (key: string, label: string, make: Workload['wgnn']): Workload => ({ key, label, unit: 'GFLOP/s', amount, quick: true, wgnn: make });
  return {
    'conv2d-fwd': conv('conv2d-fwd', `conv2d ${n}×26×26×32 → 64 3×3`, (b) => launch(b, registry.conv2d, [x, w], [y], p)),
    'conv2d-dx': conv('conv2d-dx', 'conv2d input-gradient, same', (b) => launch(b, registry.conv2dGradInput, [y, w], [x], p)),
    'conv2d-dw': conv('conv2d-dw', 'conv2d weight-gradient, same', (b) => launch(b, registry.conv2dGradWeight, [x, y], [w], p)),
  };
}

const started = performance.now();
const backend = await WebGpuBackend.create();
const reps = quick ? 1 : 10;
const samples = quick ? 1 : 5;

const kernels: Record<string, unknown> = {};
const sizes = quick ? [64, 96] : [1024, 4096];
for (const s of sizes) kernels[`matmul-${s}`] = await measure(backend, matmulWorkload(s, s, s, true), s >= 4096 ? 3 : reps, samples);
for (const [key, w] of Object.entries(convs(quick ? 2 : 64))) kernels[key] = await measure(backend, w, reps, samples);

// The seed CNN's training step at batch 64, with the dispatches and submits one step records.
const cnn = trainingWorkloads.find((w) => w.key === 'train-cnn')!;
const step = cnn.wgnn!(backend);
let training: Record<string, unknown>;
try {
  const [stepReps, stepSamples] = quick ? [1, 1] : [5, 5];
  let before = backend.stats();
  const ms = await median(backend, step, stepReps, stepSamples, () => (before = backend.stats()));
  const after = backend.stats();
  const steps = stepReps * stepSamples;
  training = {
    model: 'cnn', batch: cnn.amount, imagesPerSecond: (cnn.amount * 1000) / ms, msPerStep: ms,
    dispatchesPerStep: (after.dispatches - before.dispatches) / steps, submitsPerStep: (after.submits - before.submits) / steps,
  };
} catch (e) {
  training = { model: 'cnn', error: (e as Error).message.split('\n')[0] };
} finally {
  step.dispose();
}
const description = backend.description;
const software = backend.software;
backend.dispose();

/** `wgnn train --model fast --backend webgpu` in this process, its JSON line captured. */
async function recipe(): Promise<Record<string, unknown>> {
  const fast = oneEpochRecipe;
  const out = mkdtempSync(join(tmpdir(), 'wgnn-kit-'));
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  const t0 = performance.now();
  try {
    await train(
      {
        ...fast, model: 'fast', backend: 'webgpu', seed: 0, json: true, out: join(out, 'run'), charts: false,
        // quick: a few steps and no test pass, so that a software adapter is done in seconds
        limit: quick ? 512 : undefined, test: !quick,
        batchNorm: true, earlyStopping: false, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBest: true,
        reduceLr: false, reduceLrFactor: 0.2, reduceLrPatience: 2, minLr: 1e-4, lrDecay: 0.5, lrDecayEpochs: 5,
      },
      new Set(),
    );
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  } finally {
    console.log = log;
    rmSync(out, { recursive: true, force: true });
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const result = JSON.parse(lines.filter((l) => l.startsWith('{')).at(-1) ?? '{}') as {
    trainSeconds?: number; imagesPerSecond?: number; test?: { accuracy: number } | null; history?: unknown[];
  };
  return {
    preset: 'fast', batch: fast.batchSize, epochs: fast.epochs, images: quick ? 512 : 60000,
    wallSeconds, trainSeconds: result.trainSeconds ?? null, imagesPerSecond: result.imagesPerSecond ?? null,
    testAccuracy: result.test?.accuracy ?? null, ...(quick ? { note: 'quick mode: 512 images, no test pass' } : {}),
  };
}

emit(JSON.stringify({
  date: new Date().toISOString(),
  quick,
  node: process.version,
  adapter: description,
  software,
  timing: 'wall clock: each sample is a batch of runs followed by a wait for the device (onSubmittedWorkDone)',
  timestampQuery: false,
  kernels,
  training,
  recipe: await recipe(),
  totalSeconds: (performance.now() - started) / 1000,
}));
