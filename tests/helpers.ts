/** What several test files need alike: the CI switch, a WebGPU backend or why not, conv shapes, train options. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { convGeometry } from '../src/kernels/conv2d.ts';
import type { Conv2dParams } from '../src/kernels/conv2d.ts';
import type { TrainOptions } from '../src/cli/train.ts';
import type { WebGpuBackend } from '../src/backends/webgpu/backend.ts';

/** In CI (CI=true) WebGPU and browser tests must run: what is missing fails them instead of skipping. */
export const inCi = !!process.env.CI && process.env.CI !== 'false';

/**
 * A WebGPU backend on the first adapter, or null (with a warning) where there is none. In CI a
 * missing adapter throws, so the tests that need one fail instead of skipping.
 */
export async function openWebGpu(what: string): Promise<WebGpuBackend | null> {
  try {
    // Loaded here, not at the top: files that only want the other helpers do not start Dawn.
    const { WebGpuBackend } = await import('../src/backends/webgpu/backend.ts');
    return await WebGpuBackend.create();
  } catch (e) {
    const reason = (e as Error).message;
    if (inCi) throw new Error(`CI requires a WebGPU adapter: ${reason}`);
    console.warn(`${what} skipped: ${reason}`);
    return null;
  }
}

/** Conv2d parameters from an input N×C×H×W, K filters of kh×kh, a stride and Keras padding. */
export function convParams(
  n: number, c: number, h: number, w: number, k: number, kh: number, stride: number, padding: 'valid' | 'same', bias = false,
): Conv2dParams {
  const gy = convGeometry(h, kh, stride, padding);
  const gx = convGeometry(w, kh, stride, padding);
  return { n, c, h, w, k, kh, kw: kh, stride, padTop: gy.pad, padLeft: gx.pad, oh: gy.out, ow: gx.out, bias };
}

/** `wgnn train`'s options at their CLI defaults, with what a test sets. */
export function trainOptions(set: Partial<TrainOptions> & Pick<TrainOptions, 'model' | 'backend'>): TrainOptions {
  return {
    epochs: 1, batchSize: 32, validationSplit: 0.1, optimizer: 'adam', seed: 0, json: false, test: true,
    batchNorm: true, earlyStopping: false, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBest: true,
    reduceLr: false, reduceLrFactor: 0.2, reduceLrPatience: 2, minLr: 1e-4, lrSchedule: 'constant', lrDecay: 0.5, lrDecayEpochs: 5,
    ...set,
  };
}

/**
 * A scratch directory for one test file, made before its tests and removed after them, with the
 * commands' narration on stdout silenced (the assertions read files and return values).
 */
export function quietScratchDir(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = 0;
  });
  return () => dir;
}
