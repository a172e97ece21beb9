/**
 * A/B of max pooling with an activation, unfused (maxPool then unary; unaryGrad then
 * maxPoolGrad) against the fused op (maxPoolAct; maxPoolActGrad), in this checkout's WASM, run
 * by run in turn: `npx tsx bench/ab-pool-act.ts [threads]`. Prints the minimum CPU time of each
 * (all threads', spinning included) at the shapes of the `fast` recipe and the seed CNN.
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

for (const [name, p] of Object.entries(shapes)) {
  const x = p.planes * p.h * p.w, y = p.planes * p.oh * p.ow;
  const relu = { op: 'relu' as const };
  const pairs: Array<[string, Prepared, Prepared]> = [
    ['fwd', chain(launch(be, kernels.maxPool, [x], [y], p), launch(be, kernels.unary, [y], [y], relu)), launch(be, kernels.maxPoolAct, [x], [y], { ...p, ...relu })],
    ['bwd', chain(launch(be, kernels.unaryGrad, [y, y], [y], relu), launch(be, kernels.maxPoolGrad, [x, y], [x], p)), launch(be, kernels.maxPoolActGrad, [x, y, y], [x], { ...p, ...relu })],
  ];
  for (const [dir, pa, pb] of pairs) {
    pa.run(); pb.run();
    let ta = Infinity, tb = Infinity;
    const t0 = performance.now();
    for (let i = 0; i < 200 && (i < 10 || performance.now() - t0 < 3000); i++) {
      ta = Math.min(ta, cpuMs(pa));
      tb = Math.min(tb, cpuMs(pb));
    }
    pa.dispose(); pb.dispose();
    console.log(`${`${name} ${dir}`.padEnd(30)} unfused ${ta.toFixed(3).padStart(7)} ms   fused ${tb.toFixed(3).padStart(7)} ms   ×${(ta / tb).toFixed(2)}   saves ${(ta - tb).toFixed(3)} ms`);
  }
}
be.dispose();
