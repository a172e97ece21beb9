/** What several test files need alike: the CI switch, a WebGPU backend or why not, conv shapes, train options. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { convGeometry } from '../src/kernels/conv2d.ts';
import type { Conv2dParams } from '../src/kernels/conv2d.ts';
import type { TrainOptions } from '../src/cli/train.ts';
import type { WebGpuBackend } from '../src/backends/webgpu/backend.ts';
import type { Page } from 'playwright-core';

/** In CI (CI=true) WebGPU and browser tests must run: what is missing fails them instead of skipping. */
export const inCi = !!process.env.CI && process.env.CI !== 'false';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; in CI a missing Chromium fails the file instead of skipping it. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (inCi) throw new Error(`CI requires Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return false;
}

/** Opens `url` in a fresh headless Chromium without a GPU, runs `use` on the page, and closes the browser. */
export async function withChromiumPage<T>(url: string, use: (page: Page) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: files that only want the other helpers do not load playwright.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    return await use(page);
  } finally {
    await browser.close();
  }
}

/**
 * Starts `wgnn serve DIR` through the CLI on a free port, as a user would, and resolves with the
 * process and the URL it prints; a server that exits or stays silent for `seconds` fails with its output.
 */
export function spawnServe(dir: string, backend: string, seconds = 30): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/wgnn.mjs', 'serve', dir, '--port', '0', '--backend', backend], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`wgnn serve printed no URL in ${seconds} s:\n${output}`)), seconds * 1000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1] });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`wgnn serve exited (${code}):\n${output}`));
    });
  });
}

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
