/**
 * Every GEMM tile a hardware adapter may pick (src/kernels/gemm-tiles.ts), forced one at a time,
 * on the GEMM kernels' odd-sized parity cases and on products that cross a 128×128 tile in every
 * GEMM dimension: lavapipe's default is the register tile and the kernel-parity table adds the
 * smallest staged one, whose cases never reach the last rows and columns of a large tile. The
 * large tiles that the timing picks on a real GPU (128×128 with 8×8 outputs a thread, the 64×64
 * ones) would otherwise first run there. Outputs are poisoned and compared with the float64
 * reference as in tests/webgpu.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../src/backends/webgpu/backend.ts';
import { tileName, tileShapes } from '../src/kernels/gemm-tiles.ts';
import type { Kernel } from '../src/kernels/kernel.ts';
import { kernels } from '../src/kernels/registry.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { kernelCases, type KernelCase } from './kernel-cases.ts';
import { runParity } from './parity.ts';
import { convParams, openWebGpu } from './helpers.ts';

const gpu = await openWebGpu('GEMM tile tests');
gpu?.dispose();

const gemmKernels = ['matmul', 'conv2d', 'conv2dGradInput', 'conv2dGradWeight'] as const;
type GemmKernel = (typeof gemmKernels)[number];

/** Products past 128 in M, N and K (K past two slabs of any depth), each transposition once. */
const matmuls = [
  { m: 131, n: 133, k: 37, transA: false, transB: false, bias: true, activation: 'relu' as const },
  { m: 129, n: 135, k: 41, transA: true, transB: false, bias: false },
  { m: 133, n: 130, k: 35, transA: false, transB: true, bias: true },
  { m: 130, n: 137, k: 33, transA: true, transB: true, bias: false, rowSums: true },
];
/** Filters, channels × taps and batch × positions all past 128: every conv GEMM crosses the tile. */
const convs = [convParams(3, 130, 7, 7, 131, 3, 1, 'valid', true), convParams(2, 129, 9, 9, 133, 3, 2, 'same')];
const large: { [K in GemmKernel]: KernelCase<unknown>[] } = {
  matmul: matmuls.map((p) => ({
    label: `${p.m}×${p.k}${p.transA ? 'ᵀ' : ''}·${p.k}×${p.n}${p.transB ? 'ᵀ' : ''}`,
    params: p,
    inputs: [{ length: p.m * p.k }, { length: p.k * p.n }, ...(p.bias ? [{ length: p.n }] : [])],
    outputs: p.rowSums ? [p.m * p.n, p.m] : [p.m * p.n],
  })),
  conv2d: convs.map((p) => ({
    label: `${p.n}×${p.c}×${p.h}×${p.w} k${p.k} s${p.stride}`, params: p,
    inputs: [{ length: p.n * p.c * p.h * p.w }, { length: p.k * p.c * p.kh * p.kw }, ...(p.bias ? [{ length: p.k }] : [])],
    outputs: [p.n * p.k * p.oh * p.ow],
  })),
  conv2dGradInput: convs.map((p) => ({
    label: `${p.n}×${p.c}×${p.h}×${p.w} k${p.k} s${p.stride}`, params: { ...p, bias: false },
    inputs: [{ length: p.n * p.k * p.oh * p.ow }, { length: p.k * p.c * p.kh * p.kw }], outputs: [p.n * p.c * p.h * p.w],
  })),
  conv2dGradWeight: convs.map((p) => ({
    label: `${p.n}×${p.c}×${p.h}×${p.w} k${p.k} s${p.stride} +bias gradient`, params: { ...p, bias: false, biasGrad: true },
    inputs: [{ length: p.n * p.c * p.h * p.w }, { length: p.n * p.k * p.oh * p.ow }], outputs: [p.k * p.c * p.kh * p.kw, p.k],
  })),
};

describe.skipIf(!gpu)('every GEMM tile matches the CPU reference', () => {
  for (const tile of tileShapes) {
    it(tileName(tile), async () => {
      const backend = await WebGpuBackend.create({ tile, tune: false });
      try {
        for (const name of gemmKernels) {
          for (const c of [...(kernelCases[name] as KernelCase<unknown>[]), ...large[name]]) {
            const result = await runParity(backend as Backend, kernels[name] as Kernel<unknown>, c);
            expect(result.maxError, `${name} ${c.label}: ${result.where}`).toBeLessThanOrEqual(1e-4);
          }
        }
      } finally {
        backend.dispose();
      }
    }, 120_000);
  }
});
