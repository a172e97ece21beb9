/**
 * WGSL against the float64 CPU reference, kernel by kernel, on the shared table of odd-sized
 * cases (tests/kernel-cases.ts): outputs poisoned with NaN before the run, every element checked,
 * max |gpu − ref| / max(1, |ref|) ≤ 1e-4. Then the backend's own promises: chunking at the
 * binding limit, a clear error where a kernel cannot split, aliasing, error surfacing, teardown.
 *
 * Without an adapter these tests skip locally; in CI (CI=true) a missing adapter fails them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebGpuBackend, type WebGpuStats } from '../src/backends/webgpu/backend.ts';
import { openDevice } from '../src/backends/webgpu/device.ts';
import { kernels, type KernelName } from '../src/kernels/registry.ts';
import type { Kernel } from '../src/kernels/kernel.ts';
import { elementwiseShader } from '../src/kernels/elementwise.ts';
import { DeviceLostError, type Backend } from '../src/tensor/backend.ts';
import { kernelCases, type KernelCase } from './kernel-cases.ts';
import { tileShapes, type GemmTile } from '../src/kernels/gemm-tiles.ts';
import { runParity } from './parity.ts';
import { openWebGpu } from './helpers.ts';
import { preset } from '../src/layers/presets.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { crossEntropy } from '../src/kernels/softmax.ts';
import { backward } from '../src/tensor/autograd.ts';
import { scope, setBackend } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';
import { fit } from '../src/train/fit.ts';

const tolerance = 1e-4;

const gpu = await openWebGpu('webgpu tests');

const names = Object.keys(kernelCases) as KernelName[];

/** The smallest tile: 4×8 blocks 8 deep, so the odd sizes of the table cross several tiles and every edge. */
const smallTile: GemmTile = tileShapes[tileShapes.length - 1];
const gemmKernels = /^(matmul|conv2d|conv2dGradInput|conv2dGradWeight)$/;

/** The GEMM-template kernels run on the adapter's default tiles and again on the smallest one. */
describe.skipIf(!gpu)('WGSL kernels match the CPU reference', () => {
  const variants: [string, () => Promise<WebGpuBackend>][] = [
    ['adapter default', async () => gpu!],
    ['small tiles', async () => WebGpuBackend.create({ tile: smallTile })],
  ];
  for (const [variant, open] of variants) {
    describe(variant, () => {
      let backend: WebGpuBackend;
      beforeAll(async () => {
        backend = await open();
      });
      afterAll(() => {
        if (backend !== gpu) backend.dispose();
      });
      for (const name of names) {
        const kernel = kernels[name] as Kernel<unknown>;
        const cases = kernelCases[name] as KernelCase<unknown>[];
        if (variant === 'small tiles' && !gemmKernels.test(name)) continue;
        describe(name, () => {
          for (const c of cases) {
            it(c.label, async () => {
              const result = await runParity(backend as Backend, kernel, c);
              expect(result.maxError, result.where).toBeLessThanOrEqual(tolerance);
            });
          }
        });
      }
    });
  }
});

/** Paths the shared table's small sizes do not reach: split reductions, several tiles, chunked masks. */
const larger: { [K in KernelName]?: KernelCase<unknown>[] } = {
  sumTo: [{ label: '[3,301,5]→[1,1,5] (a workgroup per output)', params: { shape: [3, 301, 5], outStrides: [0, 0, 1], scale: 0.5 }, inputs: [{ length: 4515 }], outputs: [5] }],
  matmul: [
    { label: '130×67·67×129 (several tiles)', params: { m: 130, n: 129, k: 67, transA: false, transB: false, bias: true }, inputs: [{ length: 130 * 67 }, { length: 67 * 129 }, { length: 129 }], outputs: [130 * 129] },
    { label: '37×52·52×29ᵀ relu (k % 4 == 0: A four-wide, K ending inside a slab)', params: { m: 37, n: 29, k: 52, transA: false, transB: true, bias: true, activation: 'relu' }, inputs: [{ length: 37 * 52 }, { length: 52 * 29 }, { length: 29 }], outputs: [37 * 29] },
  ],
  conv2d: [
    {
      label: '2×3×11×17 k21 5×5 same (partial row quads, two filter groups)',
      params: { n: 2, c: 3, h: 11, w: 17, k: 21, kh: 5, kw: 5, stride: 1, padTop: 2, padLeft: 2, oh: 11, ow: 17, bias: true },
      inputs: [{ length: 2 * 3 * 11 * 17 }, { length: 21 * 3 * 25 }, { length: 21 }], outputs: [2 * 21 * 11 * 17],
    },
    {
      label: '2×4×9×11 k7 3×3 valid (c·kh·kw = 36: weights four-wide)',
      params: { n: 2, c: 4, h: 9, w: 11, k: 7, kh: 3, kw: 3, stride: 1, padTop: 0, padLeft: 0, oh: 7, ow: 9, bias: true },
      inputs: [{ length: 2 * 4 * 9 * 11 }, { length: 7 * 4 * 9 }, { length: 7 }], outputs: [2 * 7 * 7 * 9],
    },
  ],
  conv2dGradInput: [
    {
      label: '2×19×11×17 k6 5×5 same',
      params: { n: 2, c: 19, h: 11, w: 17, k: 6, kh: 5, kw: 5, stride: 1, padTop: 2, padLeft: 2, oh: 11, ow: 17, bias: false },
      inputs: [{ length: 2 * 6 * 11 * 17 }, { length: 6 * 19 * 25 }], outputs: [2 * 19 * 11 * 17],
    },
  ],
  conv2dGradWeight: [
    {
      label: '6×3×19×17 k5 (reduction split over the batch)',
      params: { n: 6, c: 3, h: 19, w: 17, k: 5, kh: 3, kw: 3, stride: 1, padTop: 1, padLeft: 1, oh: 19, ow: 17, bias: false },
      inputs: [{ length: 6 * 3 * 19 * 17 }, { length: 6 * 5 * 19 * 17 }], outputs: [5 * 3 * 9],
    },
    {
      label: '5×3×10×10 k7 + bias gradient (8×8 planes: dy four-wide; split)',
      params: { n: 5, c: 3, h: 10, w: 10, k: 7, kh: 3, kw: 3, stride: 1, padTop: 0, padLeft: 0, oh: 8, ow: 8, bias: false, biasGrad: true },
      inputs: [{ length: 5 * 3 * 10 * 10 }, { length: 5 * 7 * 8 * 8 }], outputs: [7 * 3 * 9, 7],
    },
    {
      label: '6×3×19×17 k5 + bias gradient (split, the ones column summed with the partials)',
      params: { n: 6, c: 3, h: 19, w: 17, k: 5, kh: 3, kw: 3, stride: 1, padTop: 1, padLeft: 1, oh: 19, ow: 17, bias: false, biasGrad: true },
      inputs: [{ length: 6 * 3 * 19 * 17 }, { length: 6 * 5 * 19 * 17 }], outputs: [5 * 3 * 9, 5],
    },
  ],
  bnStats: [{ label: '9×3×97', params: { n: 9, c: 3, s: 97 }, inputs: [{ length: 9 * 3 * 97 }], outputs: [3, 3] }],
  bnBackward: [
    {
      label: '9×3×97', params: { n: 9, c: 3, s: 97, eps: 1e-3 },
      inputs: [{ length: 2619 }, { length: 2619 }, { length: 3 }, { length: 3, fill: 'positive' }, { length: 3 }], outputs: [2619, 3, 3],
    },
  ],
  crossEntropyMean: [{ label: '300×10 (several rows a thread)', params: { rows: 300, cols: 10 }, inputs: [{ length: 3000 }, { length: 300, fill: { labels: 10 } }], outputs: [1] }],
  countCorrect: [{ label: '700×3', params: { rows: 700, cols: 3 }, inputs: [{ length: 2100 }, { length: 700, fill: { labels: 3 } }], outputs: [{ length: 1, fill: 'positive' }] }],
};

describe.skipIf(!gpu)('WGSL kernels on larger cases', () => {
  for (const tile of [null, smallTile]) {
    for (const [name, cases] of Object.entries(larger)) {
      if (tile && !gemmKernels.test(name)) continue;
      for (const c of cases) {
        it(`${name} ${c.label}${tile ? ' (small tiles)' : ''}`, async () => {
          const backend = tile ? await WebGpuBackend.create({ tile }) : gpu!;
          try {
            const result = await runParity(backend, kernels[name as KernelName] as Kernel<unknown>, c);
            expect(result.maxError, result.where).toBeLessThanOrEqual(tolerance);
          } finally {
            if (backend !== gpu) backend.dispose();
          }
        });
      }
    }
  }

  it('an adapter whose limits the default tiles do not fit gets smaller tiles, not a validation error', async () => {
    // 16 invocations and 1 KiB of workgroup storage: neither the register tile nor the GPU tiles fit.
    const small = await WebGpuBackend.create({ tileLimits: { maxInvocationsPerWorkgroup: 16, maxWorkgroupStorageBytes: 1024 }, tune: false });
    try {
      for (const name of ['matmul', 'conv2d', 'conv2dGradWeight'] as const) {
        for (const c of (larger[name] ?? []) as KernelCase<unknown>[]) {
          const result = await runParity(small, kernels[name] as Kernel<unknown>, c);
          expect(result.maxError, `${name} ${c.label}: ${result.where}`).toBeLessThanOrEqual(tolerance);
        }
      }
    } finally {
      small.dispose();
    }
  });

  it('times the fitting tiles on a new GEMM shape once, keeps the fastest in the cache file, and stays correct', async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'wgnn-cache-'));
    const before = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cacheHome;
    const tuned = await WebGpuBackend.create({ tune: true });
    try {
      const c = kernelCases.matmul[2] as KernelCase<unknown>;
      await tuned.sync(); // nothing queued yet: no timing
      const first = await runParity(tuned, kernels.matmul as Kernel<unknown>, c);
      expect(first.maxError, first.where).toBeLessThanOrEqual(tolerance);
      await tuned.sync(); // times the shape the run above met
      const saved = JSON.parse(readFileSync(join(cacheHome, 'wgnn', 'gemm-tiles.json'), 'utf8')) as Record<string, Record<string, string>>;
      const shapes = Object.values(saved)[0];
      expect(Object.keys(shapes)).toEqual(['matmulTN 33x9x65']);
      const again = await runParity(tuned, kernels.matmul as Kernel<unknown>, c);
      expect(again.maxError, again.where).toBeLessThanOrEqual(tolerance);
    } finally {
      tuned.dispose();
      if (before === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = before;
    }
  }, 120_000);

  it('the grouped optimizer update takes three parameters a dispatch where a stage binds only 8 buffers', async () => {
    const narrow = await WebGpuBackend.create({ maxStorageBuffers: 8 });
    try {
      for (const c of kernelCases.updateGroup) {
        const before = narrow.stats().dispatches;
        const result = await runParity(narrow, kernels.updateGroup as Kernel<unknown>, c as KernelCase<unknown>);
        expect(result.maxError, `${c.label}: ${result.where}`).toBeLessThanOrEqual(tolerance);
        expect(narrow.stats().dispatches - before).toBe(Math.ceil(c.inputs.length / 3));
      }
    } finally {
      narrow.dispose();
    }
  });

  it('dropout draws the reference mask across binding chunks', async () => {
    const small = await WebGpuBackend.create({ maxBindingBytes: 1024 });
    try {
      const c = { label: '5000 @0.3', params: { rate: 0.3, seed: 77 }, inputs: [{ length: 5000 }], outputs: [5000] };
      const result = await runParity(small, kernels.dropout as Kernel<unknown>, c);
      expect(result.maxError, result.where).toBeLessThanOrEqual(tolerance);
    } finally {
      small.dispose();
    }
  });
});

describe.skipIf(!gpu)('WebGPU backend', () => {
  afterAll(() => gpu?.dispose());

  it('names its adapter', () => {
    expect(gpu!.description).toMatch(/^webgpu: \S/);
  });

  it('splits elementwise kernels at the binding limit (and folds workgroups past 65,535)', async () => {
    // 36 Mi floats = 144 MiB: above lavapipe's 128 MiB binding limit, 147,456 workgroups of 256.
    const n = 36 * 2 ** 20;
    const x = gpu!.alloc(n);
    const y = gpu!.alloc(n);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (i % 1013) - 506.5;
    gpu!.write(x, data);
    gpu!.write(y, new Float32Array(n).fill(Number.NaN));
    const limit = gpu!.limits.maxBindingLength;
    gpu!.run(kernels.affine, [x], [y], { scale: 2, shift: 1 });
    const out = await gpu!.read(y);
    let bad = -1;
    for (let i = 0; i < n && bad < 0; i++) if (out[i] !== data[i] * 2 + 1) bad = i;
    expect(bad, `first wrong element (binding limit ${limit} floats)`).toBe(-1);
    gpu!.free(x);
    gpu!.free(y);
  }, 60_000);

  it('refuses, with a clear error, a binding a kernel cannot split', async () => {
    const small = await WebGpuBackend.create({ maxBindingBytes: 4096 });
    try {
      const a = small.alloc(40 * 40);
      const b = small.alloc(40 * 3);
      const c = small.alloc(40 * 3);
      expect(() => small.run(kernels.matmul, [a, b], [c], { m: 40, n: 3, k: 40, transA: false, transB: false, bias: false })).toThrow(
        /matmul.*maxStorageBufferBindingSize/,
      );
      // Elementwise kernels split instead: 5,000 floats through 1,024-float bindings.
      const x = small.alloc(5000);
      const y = small.alloc(5000);
      const values = Float32Array.from({ length: 5000 }, (_, i) => i + 0.5);
      small.write(x, values);
      small.write(y, values);
      small.run(kernels.axpy, [x], [y], { alpha: 2 });
      const out = await small.read(y);
      expect(Array.from(out)).toEqual(Array.from(values, (v) => v * 3));
    } finally {
      small.dispose();
    }
  });

  it('reads an input that is also the output from a copy (addInto(g, g))', async () => {
    const g = gpu!.alloc(777);
    const values = Float32Array.from({ length: 777 }, (_, i) => i - 300);
    gpu!.write(g, values);
    gpu!.run(kernels.axpy, [g], [g], { alpha: 1 });
    expect(Array.from(await gpu!.read(g))).toEqual(Array.from(values, (v) => 2 * v));
    gpu!.free(g);
  });

  it('orders a write after the queued kernels that read the old contents', async () => {
    const x = gpu!.alloc(5);
    const y = gpu!.alloc(5);
    gpu!.write(x, [1, 2, 3, 4, 5]);
    gpu!.run(kernels.affine, [x], [y], { scale: 10, shift: 0 });
    gpu!.write(x, [0, 0, 0, 0, 0]);
    expect(Array.from(await gpu!.read(y))).toEqual([10, 20, 30, 40, 50]);
    gpu!.free(x);
    gpu!.free(y);
  });

  it('compiles a kernel\'s pipelines ahead of its first run', async () => {
    const fresh = await WebGpuBackend.create();
    try {
      const x = fresh.alloc(8);
      await fresh.warmup(kernels.unaryGrad, [x, x], [x], { op: 'softsign' });
      expect(fresh.stats().pipelines).toBe(1);
      fresh.run(kernels.unaryGrad, [x, x], [fresh.alloc(8)], { op: 'softsign' });
      expect(fresh.stats().pipelines).toBe(1);
    } finally {
      fresh.dispose();
    }
  });

  it('recycles freed buffers only after the submit that used them', async () => {
    const before = gpu!.stats();
    for (let i = 0; i < 20; i++) {
      const x = gpu!.alloc(1000);
      gpu!.write(x, new Float32Array(1000).fill(i));
      const y = gpu!.alloc(1000);
      gpu!.run(kernels.affine, [x], [y], { scale: 1, shift: 1 });
      gpu!.free(x);
      gpu!.free(y);
      gpu!.flush();
    }
    const after = gpu!.stats();
    expect(after.pool.created - before.pool.created).toBeLessThanOrEqual(2);
    expect(after.submits - before.submits).toBe(20);
  });

  it('binds the same buffers in every repeated training step, so its bind groups come from the cache', async () => {
    setBackend(gpu!);
    const model = preset('mlp', { inputShape: [1, 9, 9] }).build(4);
    const optimizer = new Optimizer('adam');
    const x = new Float32Array(6 * 81).map((_, i) => ((i * 7) % 11) / 11);
    const y = Uint8Array.from({ length: 6 }, (_, i) => i % 10);
    const step = () =>
      scope(() => {
        const logits = model.forward(Tensor.from(x, [6, 1, 9, 9]), { training: true, step: 0 });
        backward(crossEntropy(logits, Tensor.from(y, [6])));
        optimizer.step(model.trainable());
      });
    try {
      for (let i = 0; i < 3; i++) step();
      await gpu!.sync();
      const before = gpu!.stats();
      for (let i = 0; i < 5; i++) {
        step();
        gpu!.flush();
      }
      await gpu!.sync();
      const after = gpu!.stats();
      expect(after.dispatches - before.dispatches).toBeGreaterThanOrEqual(5 * 5);
      expect(after.bindGroups - before.bindGroups).toBe(0);
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  });

  it('fit submits every step, so each step reuses the buffers and bind groups of the one before', async () => {
    setBackend(gpu!);
    const model = preset('mlp', { inputShape: [1, 9, 9] }).build(5);
    const n = 6 * 14;
    const images = new Float32Array(n * 81).map((_, i) => ((i * 5) % 17) / 17);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    const seen: WebGpuStats[] = [];
    const onBatchBegin = () => void seen.push(gpu!.stats());
    try {
      await fit(model, new Optimizer('adam'), { images, labels, count: n }, { epochs: 1, batchSize: 6, seed: 2, shuffle: false, callbacks: [{ onBatchBegin }] });
      const [third, last] = [seen[3], seen.at(-1)!];
      expect(last.submits - third.submits).toBeGreaterThanOrEqual(seen.length - 4);
      // Unsubmitted, every step made new buffers (and so new bind groups) until the pending budget forced a submit.
      expect(last.pool.created - third.pool.created).toBe(0);
      expect(last.bindGroups - third.bindGroups).toBe(0);
    } finally {
      model.dispose();
    }
  });

  it('submits a long batch early instead of holding its freed memory', async () => {
    const before = gpu!.stats();
    const n = 2 ** 20; // 4 MiB per buffer, 8 MiB freed per iteration, never flushed by the caller
    for (let i = 0; i < 100; i++) {
      const x = gpu!.alloc(n);
      const y = gpu!.alloc(n);
      gpu!.run(kernels.affine, [x], [y], { scale: 1, shift: i });
      gpu!.free(x);
      gpu!.free(y);
    }
    await gpu!.sync();
    const after = gpu!.stats();
    expect(after.submits - before.submits).toBeGreaterThanOrEqual(2);
    expect(after.pool.created - before.pool.created).toBeLessThan(80);
  });

  it('surfaces a Dawn validation error as a rejected read', async () => {
    const broken = await WebGpuBackend.create();
    try {
      const kernel: Kernel<Record<string, never>> = {
        name: 'broken',
        cpu() {},
        gpu(ctx, [x], [y]) {
          ctx.dispatch({ ...elementwiseShader.dispatch('unary', { inputs: { x }, outputs: { y }, uniforms: { n: 1 }, workgroups: 1 }), entry: 'no_such_entry' });
        },
      };
      const x = broken.alloc(4);
      const y = broken.alloc(4);
      let error: unknown = null;
      try {
        broken.run(kernel, [x], [y], {});
        await broken.read(y);
      } catch (e) {
        error = e;
      }
      expect(String(error)).toMatch(/no_such_entry/);
    } finally {
      broken.dispose();
    }
  });

  it('turns a lost device into a clear error', async () => {
    const opened = await openDevice();
    if ('error' in opened) throw new Error(opened.error);
    const reasons: Error[] = [];
    opened.onLost((e) => reasons.push(e));
    // Destroying the GPUDevice behind the wrapper's back is what a driver reset looks like to it.
    opened.device.destroy();
    await opened.device.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(() => opened.check()).toThrow(/device .* was lost \(destroyed\)/);
    // The CLI stops training on this class and names the checkpoint that survives (src/cli/train.ts).
    expect(() => opened.check()).toThrow(DeviceLostError);
    expect(reasons.length).toBe(1);
  });

  it('lets Node exit after dispose', () => {
    const script = `
      import { WebGpuBackend } from './src/backends/webgpu/backend.ts';
      import { kernels } from './src/kernels/registry.ts';
      const b = await WebGpuBackend.create();
      const x = b.alloc(3); b.write(x, [1, 2, 3]);
      b.run(kernels.unary, [x], [x], { op: 'square' });
      console.log(Array.from(await b.read(x)).join(','));
      b.dispose();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000, encoding: 'utf8' });
    expect(child.error, child.stderr).toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe('1,4,9');
  }, 40_000);
});
