/**
 * The one-epoch MNIST recipe end to end: `wgnn train --model fast` and the same recipe in PyTorch
 * (bench/torch_bench.py), each as a fresh process timed from its start to its exit, so that wall
 * time covers start-up, data loading, training and the test evaluation.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_DIR } from '../src/data/mnist.ts';

export interface RecipeRun {
  seed: number;
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

function timed(command: string, args: string[]): { wallSeconds: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} exited with ${r.status}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  return { wallSeconds, stdout: r.stdout };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

export function wgnnRecipe(seeds: number[]): RecipeResult {
  const runs = seeds.map((seed) => {
    const { wallSeconds, stdout } = timed(process.execPath, ['bin/wgnn.mjs', 'train', '--model', 'fast', '--backend', 'wasm', '--seed', String(seed), '--json']);
    const out = lastJson(stdout) as { trainSeconds: number; test: { accuracy: number } };
    return { seed, wallSeconds, trainSeconds: out.trainSeconds, testAccuracy: out.test.accuracy };
  });
  return { runs };
}

export function torchRecipe(seeds: number[], python: string): RecipeResult {
  const data = MNIST_DIR;
  const runs = seeds.map((seed) => {
    const { wallSeconds, stdout } = timed(python, ['bench/torch_bench.py', 'recipe', data, String(seed)]);
    const out = lastJson(stdout) as { trainSeconds: number; testAccuracy: number };
    return { seed, wallSeconds, trainSeconds: out.trainSeconds, testAccuracy: out.testAccuracy };
  });
  return { runs };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** One row per engine: wall and training seconds (mean), test accuracy (mean ± std, min). */
export function formatRecipe(results: Record<string, RecipeResult>): string {
  const out = [
    '| one-epoch recipe (`train --model fast`) | runs | wall s (mean) | training s (mean) | test accuracy (mean ± std) | lowest |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const [engine, r] of Object.entries(results)) {
    if (!r.runs.length) {
      out.push(`| ${engine} | 0 | — | — | — | — |`);
      continue;
    }
    const acc = r.runs.map((x) => 100 * x.testAccuracy);
    out.push(`| ${engine} | ${r.runs.length} (seeds ${r.runs.map((x) => x.seed).join(', ')}) | ${mean(r.runs.map((x) => x.wallSeconds)).toFixed(1)} | ` +
      `${mean(r.runs.map((x) => x.trainSeconds)).toFixed(1)} | ${mean(acc).toFixed(2)}% ± ${std(acc).toFixed(2)} | ${Math.min(...acc).toFixed(2)}% |`);
  }
  for (const [engine, r] of Object.entries(results)) if (r.missing) out.push(`\n- ${engine}: not run (${r.missing}).`);
  return out.join('\n');
}
