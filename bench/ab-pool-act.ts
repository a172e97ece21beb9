/**
 * A/B of max pooling with an activation, unfused (maxPool then unary; unaryGrad then
 * maxPoolGrad) against the fused op (maxPoolAct; maxPoolActGrad), in this checkout's WASM, run
 * by run in turn: `npx tsx bench/ab-pool-act.ts [threads]`. Prints the minimum CPU time of each
 * (all threads', spinning included) at the shapes of the `fast` recipe and the seed CNN, and the
 * seed CNN's batch norm → ReLU → pool with the ReLU in the batch norm or in the pooling.
 */
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { kernels } from '../src/kernels/registry.ts';
import type { PoolParams } from '../src/kernels/pool.ts';
import { launch, type Prepared } from './workloads.ts';

const threads = Number(process.argv[2] ?? 1) || 1;
const be = new WasmBackend({ threads });

const pool = (planes: number, h: number): PoolParams => ({ planes, h, w: h, size: 2, stride: 2, oh: h >> 1, ow: h >> 1 });
const shapes: Record<string, PoolParams> = {
  'fast pool1 256×24×24²': pool(256 * 24, 24),
  'fast pool2 256×32×10²': pool(256 * 32, 10),
  'seed pool 64×64×24²': pool(64 * 64, 24),
};

/** Several kernels run as one. */
const chain = (...ps: Prepared[]): Prepared => ({ run: () => ps.forEach((p) => p.run()), dispose: () => ps.forEach((p) => p.dispose()) });

const cpuMs = (p: Prepared) => {
  const u = process.cpuUsage();
  p.run();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e3;
};

/** Times a (unfused) and b (fused) run by run in turn; prints the minimum CPU time of each. */
function report(label: string, pa: Prepared, pb: Prepared): void {
  pa.run(); pb.run();
  let ta = Infinity, tb = Infinity;
  const t0 = performance.now();
  for (let i = 0; i < 200 && (i < 10 || performance.now() - t0 < 3000); i++) {
    ta = Math.min(ta, cpuMs(pa));
    tb = Math.min(tb, cpuMs(pb));
  }
  pa.dispose(); pb.dispose();
  console.log(`${label.padEnd(34)} unfused ${ta.toFixed(3).padStart(7)} ms   fused ${tb.toFixed(3).padStart(7)} ms   ×${(ta / tb).toFixed(2)}   saves ${(ta - tb).toFixed(3)} ms`);
}

const relu = { op: 'relu' as const };
for (const [name, p] of Object.entries(shapes)) {
  const x = p.planes * p.h * p.w, y = p.planes * p.oh * p.ow;
  report(`${name} fwd`, chain(launch(be, kernels.maxPool, [x], [y], p), launch(be, kernels.unary, [y], [y], relu)), launch(be, kernels.maxPoolAct, [x], [y], { ...p, ...relu }));
  report(`${name} bwd`, chain(launch(be, kernels.unaryGrad, [y, y], [y], relu), launch(be, kernels.maxPoolGrad, [x, y], [x], p)), launch(be, kernels.maxPoolActGrad, [x, y, y], [x], { ...p, ...relu }));
}

// The seed CNN's second block, batch norm → ReLU → pool (64×64×24²): the ReLU in batch norm (on
// WASM a pass over all values each way) against the ReLU in the pooling.
{
  const n = 64, c = 64, s = 24 * 24, p = pool(n * c, 24);
  const x = n * c * s, y = p.planes * p.oh * p.ow;
  const bn = { n, c, s, eps: 1e-3 };
  const bnIn = [x, c, c, c, c];
  report('seed BN → relu → pool fwd',
    chain(launch(be, kernels.bnForward, bnIn, [x], { ...bn, activation: 'relu' }, [2]), launch(be, kernels.maxPool, [x], [y], p)),
    chain(launch(be, kernels.bnForward, bnIn, [x], bn, [2]), launch(be, kernels.maxPoolAct, [x], [y], { ...p, ...relu })));
  report('seed BN → relu → pool bwd',
    chain(launch(be, kernels.maxPoolGrad, [x, y], [x], p), launch(be, kernels.bnBackward, [x, x, c, c, c, x], [x, c, c], { ...bn, activation: 'relu' }, [3])),
    chain(launch(be, kernels.maxPoolActGrad, [x, y, y], [x], { ...p, ...relu }), launch(be, kernels.bnBackward, [x, x, c, c, c], [x, c, c], bn, [3])));
}
be.dispose();
