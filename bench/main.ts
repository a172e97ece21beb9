/**
 * `npm run bench [-- --quick] [-- --json] [-- --results] [-- --only=key,key]`: every workload of
 * bench/workloads.ts on every engine in one run, so the ratios hold on a noisy machine.
 * Engines: wgnn's reference CPU backend and its WASM backend, TensorFlow.js cpu and wasm, numpy
 * (the roofline) where python3 has it, and PyTorch on 2 threads where /usr/bin/python3 imports
 * torch. Then the one-epoch recipe (`train --model fast`, seeds 0–4; seed 0 with --quick) beside
 * the same recipe in PyTorch. Prints the tables; with --json the last line is one JSON object
 * keyed by engine and workload; --results also writes the tables to bench/RESULTS.md.
 */
import Benchmark from 'benchmark';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { formatRecipe, torchRecipe, wgnnRecipe, type RecipeResult } from './recipe.ts';
import { trainingWorkloads } from './training.ts';
import { unitScale, wasmPeakWorkload, workloads, type Prepared, type Workload } from './workloads.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const writeResults = args.includes('--results');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
/** Every workload, in table order; further tables (training throughput) join this list. */
const all: Workload[] = [...workloads, ...trainingWorkloads];
const selected = all.filter((w) => (only ? only.includes(w.key) : !quick || w.quick));
/** The recipe's key for --only. */
const RECIPE = 'fast-recipe';
const runRecipe = !only || only.includes(RECIPE);
/** The PyTorch the issue names: Debian's python3-torch (with libopenblas0-pthread for its BLAS). */
const TORCH_PYTHON = '/usr/bin/python3';

export interface Result {
  ms: number;
  rate: number;
  unit: Workload['unit'];
  runs: number;
}
type Results = Record<string, Record<string, Result | null>>;

/** Runs slower than this are timed a few times by hand instead of by Benchmark.js. */
const LONG_MS = 400;

/** Median milliseconds per run: one warm-up, then Benchmark.js (or a few runs when long). */
function measure(p: Prepared): { ms: number; runs: number } {
  const t0 = performance.now();
  p.run();
  const first = performance.now() - t0;
  if (first > LONG_MS) {
    const times = [first];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const t = performance.now();
      p.run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { ms: times[times.length >> 1], runs: times.length };
  }
  const bench = new Benchmark(p.run, { maxTime: quick ? 0.5 : 1.5, minSamples: 5, initCount: 1 });
  bench.run();
  const sample = [...bench.stats.sample].sort((a, b) => a - b);
  return { ms: sample[sample.length >> 1] * 1e3, runs: bench.count * sample.length };
}

function result(w: Workload, m: { ms: number; runs: number }): Result {
  return { ms: m.ms, rate: ((w.amount * 1e3) / m.ms) * unitScale[w.unit], unit: w.unit, runs: m.runs };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

interface Engine {
  name: string;
  /** plain-JS engines skip the heavy workloads */
  slow: boolean;
  prepare(w: Workload): Prepared | null;
  setup?(): Promise<void>;
  dispose?(): void;
}

function wgnnEngine(name: string, make: () => Backend, slow: boolean): Engine {
  let backend: Backend | null = null;
  return {
    name,
    slow,
    prepare: (w) => {
      if (w.wgnn) return w.wgnn((backend ??= make()));
      if (w.wasm && (backend ??= make()) instanceof WasmBackend) return w.wasm(backend);
      return null;
    },
    dispose: () => backend?.dispose(),
  };
}

function tfjsEngine(backend: 'cpu' | 'wasm'): Engine {
  return {
    name: `tfjs-${backend}`,
    slow: backend === 'cpu',
    async setup() {
      if (backend === 'wasm') {
        const require = createRequire(import.meta.url);
        setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
      }
      await tf.setBackend(backend);
      await tf.ready();
    },
    prepare: (w) => w.tfjs?.(tf, backend) ?? null,
  };
}

/** numpy times its own runs (median of timeit repeats) in one python3 process. */
function numpyResults(list: Workload[]): Record<string, Result | null> | null {
  const items = list.filter((w) => w.numpy).map((w) => ({ key: w.key, code: w.numpy }));
  const program = `
import json, sys, timeit
import numpy as np
out = {}
for item in json.loads(sys.argv[1]):
    scope = {'np': np}
    exec(item['code'], scope)
    scope['run']()
    t = timeit.Timer(scope['run'])
    n, total = t.autorange()
    reps = [t.timeit(n) / n for _ in range(${quick ? 3 : 7})]
    out[item['key']] = sorted(reps)[len(reps) // 2] * 1e3
print(json.dumps(out))`;
  try {
    const ms = JSON.parse(execFileSync('python3', ['-c', program, JSON.stringify(items)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Record<string, number>;
    return Object.fromEntries(list.map((w) => [w.key, w.key in ms ? result(w, { ms: ms[w.key], runs: 0 }) : null]));
  } catch (e) {
    log(`numpy: not available (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}

/** Why torch cannot run here, or null when /usr/bin/python3 imports it. */
function torchMissing(): string | null {
  try {
    execFileSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return null;
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '').trim().split('\n').at(-1);
    return `${TORCH_PYTHON} cannot import torch: ${stderr || (e as Error).message.split('\n')[0]}`;
  }
}

/** PyTorch (2 threads) times the workloads that say how, in one process (bench/torch_bench.py). */
function torchResults(list: Workload[]): Record<string, Result | null> {
  const items = list.filter((w) => w.torch).map((w) => ({ key: w.key, ...w.torch }));
  const ms = JSON.parse(execFileSync(TORCH_PYTHON, ['bench/torch_bench.py', 'kernels', JSON.stringify(items), ...(quick ? ['--quick'] : [])], {
    cwd: new URL('..', import.meta.url), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  })) as Record<string, number>;
  return Object.fromEntries(list.map((w) => [w.key, w.key in ms ? result(w, { ms: ms[w.key], runs: 0 }) : null]));
}

async function main(): Promise<void> {
  const engines: Engine[] = [
    wgnnEngine('wgnn-reference', () => new ReferenceBackend('float32'), true),
    wgnnEngine('wgnn-wasm', () => new WasmBackend(), false),
    tfjsEngine('cpu'),
    tfjsEngine('wasm'),
  ];
  const results: Results = {};
  for (const engine of engines) {
    await engine.setup?.();
    const row: Record<string, Result | null> = (results[engine.name] = {});
    for (const w of selected) {
      if ((engine.slow && w.heavy) || w.skip?.[engine.name]) {
        row[w.key] = null;
        continue;
      }
      const p = engine.prepare(w);
      if (!p) {
        row[w.key] = null;
        continue;
      }
      try {
        row[w.key] = result(w, measure(p));
        log(`${engine.name.padEnd(10)} ${w.label.padEnd(48)} ${row[w.key]!.rate.toFixed(2).padStart(8)} ${w.unit}`);
      } catch (e) {
        row[w.key] = null;
        log(`${engine.name.padEnd(10)} ${w.label.padEnd(48)} failed: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        p.dispose();
      }
    }
    engine.dispose?.();
  }
  const np = numpyResults(selected);
  if (np) results.numpy = np;
  const noTorch = torchMissing();
  results.torch = Object.fromEntries(selected.map((w) => [w.key, null]));
  if (noTorch) log(`torch: ${noTorch}`);
  else {
    try {
      results.torch = torchResults(selected);
      for (const w of selected) if (results.torch[w.key]) log(`${'torch'.padEnd(10)} ${w.label.padEnd(48)} ${results.torch[w.key]!.rate.toFixed(2).padStart(8)} ${w.unit}`);
    } catch (e) {
      torchFailure = `bench/torch_bench.py failed: ${(e as Error).message.split('\n')[0]}`;
      log(`torch: ${torchFailure}`);
    }
  }
  torchFailure ??= noTorch;
  const recipe: Record<string, RecipeResult> = {};
  if (runRecipe) {
    const seeds = quick ? [0] : [0, 1, 2, 3, 4];
    const engines = [
      ['wgnn-wasm --model fast', () => wgnnRecipe(seeds)],
      ['wgnn-wasm --model fast-shuffle', () => wgnnRecipe(seeds, 'fast-shuffle')],
      ['torch', () => torchRecipe(seeds, TORCH_PYTHON)],
    ] as const;
    for (const [engine, run] of engines) {
      if (engine === 'torch' && noTorch) {
        recipe[engine] = { runs: [], missing: noTorch };
        continue;
      }
      try {
        recipe[engine] = await run();
        for (const r of recipe[engine].runs) log(`${engine}, seed ${r.seed}: ${r.wallSeconds.toFixed(1)} s wall, ${(100 * r.testAccuracy).toFixed(2)}% test accuracy`);
      } catch (e) {
        recipe[engine] = { runs: [], missing: (e as Error).message.split('\n')[0] };
        log(`${engine} fast recipe failed: ${recipe[engine].missing}`);
      }
    }
  }
  const table = format(results) + (runRecipe ? `\n\n${formatRecipe(recipe)}` : '');
  console.log(table);
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  const date = new Date().toISOString();
  if (writeResults) {
    const head = `# Benchmark results\n\n${date.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}` +
      `${quick ? ', --quick' : ''}. Written by \`npm run bench -- --results\`; medians.\n\n`;
    writeFileSync(new URL('./RESULTS.md', import.meta.url), `${head}${table}\n`);
  }
  if (json) console.log(JSON.stringify({ date, machine, quick, results, recipe }));
}

/** Why the torch column is empty, when it is. */
let torchFailure: string | null = null;

function format(results: Results): string {
  const out: string[] = [];
  const names = Object.keys(results);
  const header = ['workload', 'unit', ...names, 'wasm/peak', 'wasm/numpy', 'wasm/torch'];
  const peak = results['wgnn-wasm']?.[wasmPeakWorkload.key];
  const rows = selected.map((w) => {
    const cell = (e: string) => {
      const r = results[e][w.key];
      return r ? r.rate.toFixed(r.rate < 10 ? 2 : 1) : '—';
    };
    const wasm = results['wgnn-wasm']?.[w.key];
    const np = results.numpy?.[w.key];
    const torch = results.torch?.[w.key];
    const ratio = (r: Result | null | undefined) => (wasm && r ? `${((100 * wasm.rate) / r.rate).toFixed(0)}%` : '—');
    const ofPeak = peak && w.unit === 'GFLOP/s' && w.key !== wasmPeakWorkload.key ? ratio(peak) : '—';
    return [w.label, w.unit, ...names.map(cell), ofPeak, ratio(np), ratio(torch)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  out.push(line(header));
  out.push(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) out.push(line(r));
  out.push('');
  for (const w of selected) {
    if (w.note) out.push(`- ${w.note}`);
    for (const [engine, why] of Object.entries(w.skip ?? {})) out.push(`- ${engine} skips ${w.label}: ${why}.`);
  }
  if (torchFailure) out.push(`- torch: empty column: ${torchFailure}.`);
  else out.push('- torch: PyTorch on 2 threads (torch.set_num_threads(2)), bench/torch_bench.py; it has no resnet workload.');
  out.push('- "—": not run (the plain-JS engines skip workloads that take minutes) or not supported.');
  return out.join('\n');
}

await main();
