/**
 * The one-epoch MNIST recipe end to end: `wgnn train --model fast` and the same recipe in PyTorch
 * (bench/torch_bench.py), each a fresh process timed from its start to the moment it prints its
 * test accuracy, so that wall time covers start-up, data loading, training and the test
 * evaluation (and not the run directory wgnn writes afterwards, into a temporary folder here).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_DIR } from '../src/data/mnist.ts';

export interface RecipeRun {
  seed: number;
  /** from the process start to its test-accuracy line */
  wallSeconds: number;
  trainSeconds: number;
  testAccuracy: number;
}

export interface RecipeResult {
  runs: RecipeRun[];
  /** why there are no runs */
  missing?: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs a command; resolves with the seconds until a line of its output matched `done`, and its stdout. */
function timed(command: string, args: string[], done: RegExp): Promise<{ wallSeconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let seen: number | null = null;
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const watch = (chunk: Buffer, into: 'out' | 'err') => {
      const text = chunk.toString();
      if (into === 'out') stdout += text;
      else stderr += text;
      if (seen === null && done.test(into === 'out' ? stdout : stderr)) seen = performance.now();
    };
    child.stdout.on('data', (c: Buffer) => watch(c, 'out'));
    child.stderr.on('data', (c: Buffer) => watch(c, 'err'));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} exited with ${status}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
      else if (seen === null) reject(new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} printed no test accuracy`));
      else resolve({ wallSeconds: (seen - started) / 1000, stdout });
    });
  });
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

export async function wgnnRecipe(seeds: number[], model = 'fast'): Promise<RecipeResult> {
  const runs: RecipeRun[] = [];
  for (const seed of seeds) {
    const dir = mkdtempSync(path.join(tmpdir(), 'wgnn-bench-'));
    try {
      const args = ['bin/wgnn.mjs', 'train', '--model', model, '--backend', 'cpu', '--seed', String(seed), '--out', path.join(dir, 'run'), '--json'];
      // --json sends the progress lines to stderr; the test line is the one the issue times to.
      const { wallSeconds, stdout } = await timed(process.execPath, args, /test accuracy: \d/);
      const out = lastJson(stdout) as { trainSeconds: number; test: { accuracy: number } };
      runs.push({ seed, wallSeconds, trainSeconds: out.trainSeconds, testAccuracy: out.test.accuracy });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { runs };
}

export async function torchRecipe(seeds: number[], python: string): Promise<RecipeResult> {
  const data = MNIST_DIR;
  const runs: RecipeRun[] = [];
  for (const seed of seeds) {
    const { wallSeconds, stdout } = await timed(python, ['bench/torch_bench.py', 'recipe', data, String(seed)], /"testAccuracy"/);
    const out = lastJson(stdout) as { trainSeconds: number; testAccuracy: number };
    runs.push({ seed, wallSeconds, trainSeconds: out.trainSeconds, testAccuracy: out.testAccuracy });
  }
  return { runs };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** One row per engine: wall and training seconds (mean), test accuracy (mean ± std, min). */
export function formatRecipe(results: Record<string, RecipeResult>): string {
  const out = [
    '| one-epoch recipe | runs | wall s to the test accuracy (mean) | training s (mean) | test accuracy (mean ± std) | lowest |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const [engine, r] of Object.entries(results)) {
    if (!r.runs.length) {
      out.push(`| ${engine} | 0 | — | — | — | — |`);
      continue;
    }
    const acc = r.runs.map((x) => 100 * x.testAccuracy);
    out.push(`| ${engine} | ${r.runs.length} (seed${r.runs.length > 1 ? 's' : ''} ${r.runs.map((x) => x.seed).join(', ')}) | ${mean(r.runs.map((x) => x.wallSeconds)).toFixed(1)} | ` +
      `${mean(r.runs.map((x) => x.trainSeconds)).toFixed(1)} | ${mean(acc).toFixed(2)}% ± ${std(acc).toFixed(2)} | ${Math.min(...acc).toFixed(2)}% |`);
  }
  for (const [engine, r] of Object.entries(results)) if (r.missing) out.push(`\n- ${engine}: not run (${r.missing}).`);
  return out.join('\n');
}
