/**
 * The fast CPU backend against the float64 reference: every case of the shared kernel table,
 * then larger odd-sized matmuls and convolutions that cross the cache blocks, the register
 * tiles and the split between threads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { fmaPeak } from '../src/backends/wasm/peak.ts';
import type { Kernel } from '../src/kernels/kernel.ts';
import { kernels, type KernelName } from '../src/kernels/registry.ts';
import type { Backend } from '../src/tensor/backend.ts';
import type { KernelCase } from './kernel-cases.ts';
import { kernelCases } from './kernel-cases.ts';
import { runParity } from './parity.ts';
import { convParams } from './helpers.ts';

const backend = new WasmBackend({ threads: 2 });
/** Splits even the smallest kernel over both threads, so every range boundary is exercised. */
const split = new WasmBackend({ threads: 2, minParallelWork: 0 });
/** The plain-SIMD build (4×8 tile), which engines without relaxed SIMD run. */
const plain = new WasmBackend({ threads: 2, simd: 'simd' });
const all: Array<[string, WasmBackend]> = [[`${backend.simd}`, backend], [`${split.simd}, split`, split], ['simd', plain]];
afterAll(() => all.forEach(([, b]) => b.dispose()));

describe('wasm backend: kernel table', () => {
  for (const name of Object.keys(kernelCases) as KernelName[]) {
    const cases = kernelCases[name] as Array<KernelCase<unknown>>;
    for (const c of cases) {
      it(`${name} ${c.label}`, async () => {
        for (const [how, b] of all) {
          const result = await runParity(b, kernels[name] as Kernel<unknown>, c);
          expect(result.maxError, `${how}: ${result.where}`).toBeLessThanOrEqual(1e-4);
        }
      });
    }
  }
});

const conv = convParams;

describe('wasm backend: max-pool ties', () => {
  // After a ReLU most windows are all zeros: the gradient must go to the first one, as in the reference.
  it('maxPoolGrad routes ties like the reference', async () => {
    const p = { planes: 6, h: 12, w: 19, size: 2, stride: 2, oh: 6, ow: 9 };
    const x = new Float32Array(p.planes * p.h * p.w).map((_, i) => (i % 3 === 0 ? 0 : i % 5 === 0 ? 1 : 0));
    const dy = new Float32Array(p.planes * p.oh * p.ow).map((_, i) => i + 1);
    const run = async (b: Backend) => {
      const [sx, sdy, sdx] = [x.length, dy.length, x.length].map((n) => b.alloc(n));
      b.write(sx, x);
      b.write(sdy, dy);
      b.write(sdx, new Float32Array(x.length).fill(Number.NaN));
      b.run(kernels.maxPoolGrad, [sx, sdy], [sdx], p);
      return b.read(sdx);
    };
    expect(Array.from(await run(backend))).toEqual(Array.from(await run(new ReferenceBackend())));
  });
});

describe('wasm backend: blocking and threads', () => {
  const matmuls = [
    { m: 67, n: 259, k: 131, transA: false, transB: false, bias: true },
    { m: 67, n: 259, k: 131, transA: true, transB: true, bias: false },
    { m: 261, n: 37, k: 300, transA: false, transB: true, bias: true },
    { m: 150, n: 2100, k: 9, transA: true, transB: false, bias: false },
    // A·Bᵀ by dot products (assembly/gemm-nt.ts): three depth blocks with a scalar tail each, and
    // odd rows and columns at the edges; above its side limit, the packed GEMM
    { m: 37, n: 45, k: 2331, transA: false, transB: true, bias: true },
    { m: 263, n: 259, k: 45, transA: false, transB: true, bias: true },
    // more rows than one shallow A block holds (480 at depth 64): two blocks of rows, columns split
    { m: 500, n: 601, k: 64, transA: false, transB: false, bias: true },
    // B's rows a multiple of 4 KiB apart: its panels packed two rows at a time, an odd depth
    { m: 37, n: 1024, k: 45, transA: false, transB: false, bias: true },
    { m: 19, n: 2048, k: 33, transA: true, transB: false, bias: false },
  ];
  for (const p of matmuls) {
    it(`matmul ${p.m}×${p.k}${p.transA ? 'ᵀ' : ''}·${p.k}×${p.n}${p.transB ? 'ᵀ' : ''}`, async () => {
      const c = { label: '', params: p, inputs: [{ length: p.m * p.k }, { length: p.k * p.n }, ...(p.bias ? [{ length: p.n }] : [])], outputs: [p.m * p.n] };
      for (const b of [backend, split, plain]) expect((await runParity(b, kernels.matmul, c)).maxError).toBeLessThanOrEqual(1e-4);
    });
  }
  const convs = [
    conv(3, 7, 27, 29, 13, 3, 1, 'same', true),
    conv(5, 6, 17, 15, 9, 5, 2, 'same', false),
    conv(4, 3, 12, 11, 10, 3, 1, 'valid', true),
    // one image: the threads split its pixels
    conv(1, 5, 41, 37, 11, 3, 1, 'same', true),
    // more output pixels than one B block holds
    conv(2, 3, 50, 45, 4, 3, 1, 'same', true),
    // the wide layout (stride 1, valid) at the one-epoch recipe's shapes, a weight-gradient block
    // spanning images; and one whose wide row ends mid-panel
    conv(5, 24, 12, 12, 32, 3, 1, 'valid', true),
    conv(3, 1, 28, 28, 24, 5, 1, 'valid', false),
    conv(3, 5, 13, 11, 7, 4, 1, 'valid', true),
    // stride 1, valid, but one image for two threads: the forward splits its pixels on the GEMM
    conv(1, 4, 14, 13, 6, 3, 1, 'valid', true),
    // stride 1, valid, with weights (k·c·kh·kw) past the direct forward's scratch: the GEMM
    conv(2, 120, 5, 6, 600, 3, 1, 'valid', true),
  ];
  for (const p of convs) {
    const label = `${p.n}×${p.c}×${p.h}×${p.w} → ${p.k} ${p.kh}×${p.kw} s${p.stride}`;
    const x = p.n * p.c * p.h * p.w;
    const y = p.n * p.k * p.oh * p.ow;
    const w = p.k * p.c * p.kh * p.kw;
    it(`conv2d ${label}`, async () => {
      const c = { label, params: p, inputs: [{ length: x }, { length: w }, ...(p.bias ? [{ length: p.k }] : [])], outputs: [y] };
      for (const b of [backend, plain]) expect((await runParity(b, kernels.conv2d, c)).maxError).toBeLessThanOrEqual(1e-4);
    });
    it(`conv2dGradInput ${label}`, async () => {
      const c = { label, params: p, inputs: [{ length: y }, { length: w }], outputs: [x] };
      for (const b of [backend, plain]) expect((await runParity(b, kernels.conv2dGradInput, c)).maxError).toBeLessThanOrEqual(1e-4);
    });
    it(`conv2dGradWeight ${label}`, async () => {
      // with a bias, its gradient too (taken in the same pass)
      const c = { label, params: { ...p, biasGrad: p.bias }, inputs: [{ length: x }, { length: y }], outputs: p.bias ? [w, p.k] : [w] };
      for (const b of [backend, plain]) expect((await runParity(b, kernels.conv2dGradWeight, c)).maxError).toBeLessThanOrEqual(1e-4);
    });
  }
});

describe('wasm backend: the roofline loop (fmaPeak)', () => {
  // Chain i of 12 starts at i in its 4 lanes and takes c ← c·a + b `iterations` times; the
  // values are dyadic with few bits, so every build's (fused or not) result is exact.
  const expected = (iterations: number, a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < 12; i++) {
      let c = i;
      for (let t = 0; t < iterations; t++) c = c * a + b;
      sum += 4 * c;
    }
    return sum;
  };
  for (const [how, b] of all) {
    it(`sums every chain on every chunk (${how})`, () => {
      for (const [iterations, a, step] of [[1000, 1, 0.125], [10, 0.5, 1], [7, -0.5, 0.25], [0, 2, 1]]) {
        const sums = fmaPeak(b, iterations, a, step, 3);
        expect([...sums], `${iterations} × c·${a} + ${step}`).toEqual([0, 1, 2].map(() => expected(iterations, a, step)));
      }
    });
  }
  it('rejects an iteration count the kernel cannot take', () => {
    expect(() => fmaPeak(backend, 2 ** 31, 1, 1)).toThrow(/iterations must be an integer/);
  });
});
