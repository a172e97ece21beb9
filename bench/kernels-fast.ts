/**
 * `npx tsx bench/kernels-fast.ts [threads] [--only=name,name]`: the one-epoch recipe's convolution
 * and dense kernels at its shapes (batch 256) and the seed CNN's conv and matmul 1024³, on the WASM
 * backend with a fixed thread count (default 1: the steadiest figure on a shared machine); the
 * minimum and median CPU time of several runs, in GFLOP/s.
 */
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import type { Conv2dParams } from '../src/kernels/conv2d.ts';
import { kernels } from '../src/kernels/registry.ts';
import { launch, type Prepared } from './workloads.ts';

const threads = Number(process.argv[2] ?? 1) || 1;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const backend = new WasmBackend({ threads });

const conv = (n: number, c: number, h: number, k: number, kk: number): Conv2dParams => ({
  n, c, h, w: h, k, kh: kk, kw: kk, stride: 1, padTop: 0, padLeft: 0, oh: h - kk + 1, ow: h - kk + 1, bias: true,
});
const shapes: Record<string, Conv2dParams> = {
  'fast-conv1': conv(256, 1, 28, 24, 5),
  'fast-conv2': conv(256, 24, 12, 32, 3),
  'seed-conv2': { ...conv(64, 32, 26, 64, 3), bias: false },
};
const cases: Array<{ name: string; flops: number; make: () => Prepared }> = [];
for (const [name, p] of Object.entries(shapes)) {
  const x = p.n * p.c * p.h * p.w, y = p.n * p.k * p.oh * p.ow, w = p.k * p.c * p.kh * p.kw;
  const flops = 2 * p.n * p.k * p.c * p.kh * p.kw * p.oh * p.ow;
  cases.push({ name: `${name} fwd`, flops, make: () => launch(backend, kernels.conv2d, [x, w, p.k], [y], p) });
  cases.push({ name: `${name} dx`, flops, make: () => launch(backend, kernels.conv2dGradInput, [y, w], [x], p) });
  cases.push({ name: `${name} dw`, flops, make: () => launch(backend, kernels.conv2dGradWeight, [x, y], [w, p.k], { ...p, biasGrad: p.bias }) });
}
const mm = (m: number, k: number, n: number, extra: Partial<{ transA: boolean; transB: boolean; bias: boolean }> = {}) =>
  () => launch(backend, kernels.matmul, [m * k, k * n, n], [m * n], { m, n, k, transA: false, transB: false, bias: false, ...extra });
cases.push({ name: 'fast-dense1 fwd 256×800·800×256', flops: 2 * 256 * 800 * 256, make: mm(256, 800, 256, { bias: true }) });
cases.push({ name: 'matmul 1024³', flops: 2 * 1024 ** 3, make: mm(1024, 1024, 1024) });

for (const c of cases) {
  if (only && !only.some((o) => c.name.includes(o))) continue;
  const p = c.make();
  p.run();
  // CPU time of the process, not wall time: on a shared machine the wall clock counts the other
  // processes' turns too (with one thread, all the work is this thread's).
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < 5 || (performance.now() - t0 < 2000 && times.length < 50)) {
    const u = process.cpuUsage();
    p.run();
    const d = process.cpuUsage(u);
    times.push((d.user + d.system) / 1e3);
  }
  p.dispose();
  times.sort((a, b) => a - b);
  const best = times[0], med = times[times.length >> 1];
  console.log(`${c.name.padEnd(34)} ${best.toFixed(2).padStart(8)} ms  ${(c.flops / best / 1e6).toFixed(1).padStart(6)} GFLOP/s best  ${(c.flops / med / 1e6).toFixed(1).padStart(6)} median  (${times.length} runs)`);
}
backend.dispose();
