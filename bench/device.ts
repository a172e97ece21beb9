/**
 * The device benchmark: what the device kit's run.sh prints, as one JSON line on stdout
 * (everything else goes to stderr). On the first WebGPU adapter: matmul at 1024³ and 4096³, the
 * seed CNN's second convolution forward and both gradients (GPU timestamps where the adapter has
 * them), a seed-CNN training step (images/s, the host's time to record it, dispatches, submits and
 * new bind groups a step), and the one-epoch `fast` recipe's wall time and test accuracy, run
 * twice: the first run compiles and tunes, the second is the figure.
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
import { kernelRate, trainingRate } from './webgpu.ts';
import { matmulWorkload, seedConvWorkloads, type Workload } from './workloads.ts';

const quick = process.argv.includes('--quick') || process.env.WGNN_KIT_QUICK === '1';

// stdout carries the one JSON line; the engine's own lines go to stderr.
const emit = (line: string): boolean => process.stdout.write(line + '\n');
console.log = (...args: unknown[]) => void process.stderr.write(args.map(String).join(' ') + '\n');

/** One kernel's rate, or why it could not be measured (the rest of the line still comes). */
async function measure(backend: WebGpuBackend, w: Workload, reps: number, samples: number): Promise<Record<string, unknown>> {
  try {
    const r = await kernelRate(backend, w, reps, samples);
    return { label: w.label, unit: 'GFLOP/s', rate: r.gflops, ms: r.ms, gbs: r.gbs, clock: r.clock };
  } catch (e) {
    return { label: w.label, error: (e as Error).message.split('\n')[0] };
  }
}

const started = performance.now();
/** Progress on stderr, with the seconds since the start: where a device's minutes went. */
const stage = (what: string): void => console.error(`[device kit ${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);

/** One JSON line that says why nothing was measured, and the settings that decided the driver. */
function refuse(error: string): never {
  const env = Object.fromEntries(['VK_DRIVER_FILES', 'VK_ICD_FILENAMES', 'LD_LIBRARY_PATH'].map((k) => [k, process.env[k] ?? null]));
  emit(JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, error, env }));
  process.exit(2);
}

let backend: WebGpuBackend;
try {
  backend = await WebGpuBackend.create();
} catch (e) {
  refuse(`${(e as Error).message.split('\n')[0]}; the Vulkan loader's errors are above on stderr (VK_LOADER_DEBUG=all says more)`);
}
stage(`adapter: ${backend.description}${backend.software ? ' (a CPU)' : ''}`);
// Full sizes on a CPU adapter would spend a GPU machine's minutes measuring lavapipe.
if (backend.software && !quick && process.env.WGNN_KIT_ALLOW_SOFTWARE !== '1') {
  const name = backend.description;
  backend.dispose();
  refuse(`the adapter is a CPU (${name}): no GPU's Vulkan driver was found. Point VK_DRIVER_FILES at the driver's ICD file, run --quick to try the kit, or set WGNN_KIT_ALLOW_SOFTWARE=1 to measure it anyway`);
}
const reps = quick ? 1 : 10;
const samples = quick ? 1 : 5;

const kernels: Record<string, unknown> = {};
const sizes = quick ? [64, 96] : [1024, 4096];
for (const s of sizes) {
  stage(`matmul ${s}³ (the first run times the GEMM tiles)`);
  kernels[`matmul-${s}`] = await measure(backend, matmulWorkload(s, s, s, true), s >= 4096 ? 3 : reps, samples);
}
// The seed CNN's second convolution; quick: a batch of 2.
for (const [key, w] of Object.entries(seedConvWorkloads(quick ? 2 : 64))) {
  stage(key);
  kernels[key] = await measure(backend, w, reps, samples);
}
stage('seed-CNN training step');

// The seed CNN's training step at batch 64: images/s, the host's share of a step, and what one step records.
let training: Record<string, unknown>;
try {
  const [steps, stepSamples] = quick ? [1, 1] : [10, 5];
  training = { model: 'cnn', ...(await trainingRate(backend, 'cnn', steps, stepSamples)) };
} catch (e) {
  training = { model: 'cnn', error: (e as Error).message.split('\n')[0] };
}
const description = backend.description;
const software = backend.software;
const clock = backend.clock;
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

// The first run compiles every pipeline and times the GEMM tiles of the recipe's shapes (cached per
// adapter in ~/.cache/wgnn); the second is what a user sees from then on, and is the recipe's figure.
stage('the fast recipe, first run');
const recipeFirstRun = await recipe();
stage('the fast recipe, second run');
const recipeRun = await recipe();
stage('done');

emit(JSON.stringify({
  date: new Date().toISOString(),
  quick,
  node: process.version,
  adapter: description,
  software,
  timing: clock === 'gpu-timestamp'
    ? 'kernels: GPU timestamps around one compute pass of the timed runs; training: wall clock, each sample a batch of steps followed by a wait for the device'
    : 'wall clock: each sample is a batch of runs followed by a wait for the device (onSubmittedWorkDone)',
  timestampQuery: clock === 'gpu-timestamp',
  kernels,
  training,
  recipe: recipeRun,
  recipeFirstRun,
  totalSeconds: (performance.now() - started) / 1000,
}));
