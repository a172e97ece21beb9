/**
 * A/B of two kernel builds in one process, run by run in turn so that both meet the same load:
 * `npx tsx bench/ab-kernels.ts <baseline checkout> [filter] [threads] [cpu|wall]` compares the
 * baseline's backend (its src/ and build/) with this checkout's, on one thread unless told, at the
 * one-epoch recipe's shapes; prints the minimum CPU time of each (all threads', spinning included)
 * and the ratio, or with `wall` the minimum wall time. On several threads take `wall`: Linux
 * accounts another thread's CPU time at scheduler ticks, so a run of a few milliseconds can miss
 * the workers' share, and the minimum picks exactly such runs.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import type { Conv2dParams } from '../src/kernels/conv2d.ts';
import { kernels } from '../src/kernels/registry.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { launch, type Prepared } from './workloads.ts';

const base = path.resolve(process.argv[2]);
const filter = process.argv[3] ?? '';
const { WasmBackend: BaseBackend } = (await import(pathToFileURL(path.join(base, 'src/backends/wasm/backend.ts')).href)) as { WasmBackend: typeof WasmBackend };
const threads = Number(process.argv[4] ?? 1) || 1;
const clock = process.argv[5] ?? 'cpu';
if (clock !== 'cpu' && clock !== 'wall') throw new Error(`ab-kernels: the clock is 'cpu' or 'wall', got '${clock}'`);
const a = new BaseBackend({ threads });
const b = new WasmBackend({ threads });

const conv = (n: number, c: number, h: number, k: number, kk: number, bias = true): Conv2dParams => ({
  n, c, h, w: h, k, kh: kk, kw: kk, stride: 1, padTop: 0, padLeft: 0, oh: h - kk + 1, ow: h - kk + 1, bias,
});
const shapes: Record<string, Conv2dParams> = {
  'fast-conv1': conv(256, 1, 28, 24, 5),
  'fast-conv2': conv(256, 24, 12, 32, 3),
  'seed-conv1': conv(64, 1, 28, 32, 3),
  'seed-conv2': conv(64, 32, 26, 64, 3, false),
};
type Case = { name: string; flops: number; make: (be: Backend) => Prepared };
const cases: Case[] = [];
for (const [name, p] of Object.entries(shapes)) {
  const x = p.n * p.c * p.h * p.w, y = p.n * p.k * p.oh * p.ow, w = p.k * p.c * p.kh * p.kw;
  const flops = 2 * p.n * p.k * p.c * p.kh * p.kw * p.oh * p.ow;
  cases.push({ name: `${name} fwd`, flops, make: (be) => launch(be, kernels.conv2d, [x, w, ...(p.bias ? [p.k] : [])], [y], p) });
  cases.push({ name: `${name} dx`, flops, make: (be) => launch(be, kernels.conv2dGradInput, [y, w], [x], p) });
  cases.push({ name: `${name} dw`, flops, make: (be) => launch(be, kernels.conv2dGradWeight, [x, y], p.bias ? [w, p.k] : [w], { ...p, biasGrad: p.bias }) });
}
const mm = (m: number, k: number, n: number, transA = false, transB = false, rowSums = false) => (be: Backend) =>
  launch(be, kernels.matmul, [m * k, k * n], rowSums ? [m * n, m] : [m * n], { m, n, k, transA, transB, bias: false, rowSums });
/**
 * A Dense layer's three products at batch b, `inputs` → `units` (W stored [units, inputs]): the
 * forward x·Wᵀ, the input gradient g·W and the weight gradient gᵀ·x with the bias gradient's row
 * sums, as src/kernels/matmul.ts launches them.
 */
const dense = (name: string, b: number, inputs: number, units: number) => {
  const flops = 2 * b * inputs * units;
  cases.push({ name: `${name} fwd`, flops, make: mm(b, inputs, units, false, true) });
  cases.push({ name: `${name} dx`, flops, make: mm(b, units, inputs) });
  cases.push({ name: `${name} dw`, flops, make: mm(units, b, inputs, true, false, true) });
};
dense('dense seed 64·9216→128', 64, 9216, 128);
dense('dense fast 256·800→256', 256, 800, 256);
dense('dense fast 256·256→10', 256, 256, 10);
dense('dense mlp 32·784→128', 32, 784, 128);
// The forward convolutions' GEMMs over the whole batch, with no im2col: what packing costs them.
cases.push({ name: 'gemm 24×25·25×147456', flops: 2 * 24 * 25 * 147456, make: mm(24, 25, 147456) });
cases.push({ name: 'gemm 32×216·216×25600', flops: 2 * 32 * 216 * 25600, make: mm(32, 216, 25600) });
cases.push({ name: 'dense 256×800·800×256', flops: 2 * 256 * 800 * 256, make: mm(256, 800, 256) });
cases.push({ name: 'matmul 1024³', flops: 2 * 1024 ** 3, make: mm(1024, 1024, 1024) });

const cpuMs = (p: Prepared) => {
  const u = process.cpuUsage();
  p.run();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e3;
};
const wallMs = (p: Prepared) => {
  const t = performance.now();
  p.run();
  return performance.now() - t;
};
const timeMs = clock === 'wall' ? wallMs : cpuMs;
for (const c of cases.filter((c) => c.name.includes(filter))) {
  const pa = c.make(a), pb = c.make(b);
  pa.run(); pb.run();
  let ta = Infinity, tb = Infinity;
  const t0 = performance.now();
  for (let i = 0; i < 60 && (i < 6 || performance.now() - t0 < 4000); i++) {
    ta = Math.min(ta, timeMs(pa));
    tb = Math.min(tb, timeMs(pb));
  }
  pa.dispose(); pb.dispose();
  const g = (t: number) => (c.flops / t / 1e6).toFixed(1).padStart(6);
  console.log(`${c.name.padEnd(32)} base ${ta.toFixed(2).padStart(7)} ms ${g(ta)} GFLOP/s   new ${tb.toFixed(2).padStart(7)} ms ${g(tb)} GFLOP/s   ×${(ta / tb).toFixed(2)}`);
}
a.dispose(); b.dispose();
