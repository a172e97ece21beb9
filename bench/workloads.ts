/**
 * The benchmark workloads, one row each: how much work one run is, and how each engine runs
 * it. A new workload is one more entry; an engine that cannot run it leaves its field out.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Conv2dParams } from '../src/kernels/conv2d.ts';
import type { Kernel } from '../src/kernels/kernel.ts';
import { kernels } from '../src/kernels/registry.ts';
import type { Backend, Storage } from '../src/tensor/backend.ts';
import { defaultThreads, type WasmBackend } from '../src/backends/wasm/backend.ts';
import { fmaPeak, PEAK_FLOPS_PER_ITERATION } from '../src/backends/wasm/peak.ts';

/** One prepared run: `run` is timed, `dispose` frees what setting it up allocated. */
export interface Prepared {
  run(): void;
  dispose(): void;
}

export type Unit = 'GFLOP/s' | 'GB/s' | 'images/s' | 'sequences/s';
/** What one unit of `amount` per second is worth in the reported unit. */
export const unitScale: Record<Unit, number> = { 'GFLOP/s': 1e-9, 'GB/s': 1e-9, 'images/s': 1, 'sequences/s': 1 };

export interface Workload {
  key: string;
  label: string;
  /** what the table reports: `amount` flops, bytes or images per run, as a rate */
  unit: Unit;
  amount: number;
  /** least memory traffic of one run (operands read once, results written once): GB/s beside GFLOP/s */
  bytes?: number;
  /** part of `--quick` */
  quick: boolean;
  /** too slow for the plain-JS engines (minutes a run): skipped there */
  heavy?: boolean;
  /** engines that skip this workload, with the reason (shown under the table) */
  skip?: Record<string, string>;
  wgnn?(backend: Backend): Prepared;
  /** a workload of the WASM backend alone (its roofline), in the wgnn-wasm column */
  wasm?(backend: WasmBackend): Prepared;
  tfjs?(tf: typeof TF, backend: 'cpu' | 'wasm'): Prepared | null;
  /** Python defining `run()` (numpy imported as np, float32 data): the roofline. */
  numpy?: string;
  /** the same work in PyTorch: a kind that bench/torch_bench.py knows, and its arguments */
  torch?: { kind: string; args: Record<string, number | string | boolean> };
  /** shown under the table */
  note?: string;
}

function filled(backend: Backend, length: number, positive = false): Storage {
  const s = backend.alloc(length);
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = positive ? 0.5 + Math.random() : Math.random() - 0.5;
  backend.write(s, data);
  return s;
}

/** A kernel launch with random inputs of the given lengths. */
export function launch<P>(backend: Backend, kernel: Kernel<P>, inputs: number[], outputs: number[], params: P, positive: number[] = []): Prepared {
  const ins = inputs.map((n, i) => filled(backend, n, positive.includes(i)));
  const outs = outputs.map((n) => filled(backend, n));
  return {
    run: () => backend.run(kernel, ins, outs, params),
    dispose: () => [...ins, ...outs].forEach((s) => backend.free(s)),
  };
}

function tfRun(tf: typeof TF, make: () => TF.Tensor | TF.Tensor[], inputs: TF.Tensor[]): Prepared {
  return {
    run: () => {
      const out = tf.tidy(make);
      for (const t of Array.isArray(out) ? out : [out]) {
        t.dataSync();
        t.dispose();
      }
    },
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}

export function matmulWorkload(m: number, k: number, n: number, quick: boolean, heavy = false): Workload {
  return {
    key: `matmul-${m}x${k}x${n}`,
    label: `matmul ${m}×${k} · ${k}×${n}`,
    unit: 'GFLOP/s',
    amount: 2 * m * n * k,
    bytes: 4 * (m * k + k * n + m * n),
    quick,
    heavy,
    wgnn: (b) => launch(b, kernels.matmul, [m * k, k * n], [m * n], { m, n, k, transA: false, transB: false, bias: false }),
    tfjs: (tf) => {
      const a = tf.randomNormal([m, k]);
      const bm = tf.randomNormal([k, n]);
      return tfRun(tf, () => tf.matMul(a, bm), [a, bm]);
    },
    numpy: `a = np.random.rand(${m}, ${k}).astype(np.float32); b = np.random.rand(${k}, ${n}).astype(np.float32)\ndef run(): np.dot(a, b)`,
    torch: { kind: 'matmul', args: { m, k, n } },
  };
}

const seedConvParams = (n: number): Conv2dParams => ({ n, c: 32, h: 26, w: 26, k: 64, kh: 3, kw: 3, stride: 1, padTop: 0, padLeft: 0, oh: 24, ow: 24, bias: false });
/**
 * The seed CNN's second convolution (n×26×26×32 → 64, 3×3, valid) forward and both gradients on
 * wgnn, keyed conv2d-fwd, conv2d-dx and conv2d-dw: the table below at a batch of 64, the device kit
 * (bench/device.ts) also at 2 for its quick run.
 */
export function seedConvWorkloads(n: number): Record<'conv2d-fwd' | 'conv2d-dx' | 'conv2d-dw', Workload> {
  const p = seedConvParams(n);
  const x = p.n * p.c * p.h * p.w;
  const y = p.n * p.k * p.oh * p.ow;
  const w = p.k * p.c * p.kh * p.kw;
  const conv = (key: string, label: string, wgnn: Workload['wgnn']): Workload => ({
    key, label, unit: 'GFLOP/s', amount: 2 * p.n * p.k * p.c * p.kh * p.kw * p.oh * p.ow, bytes: 4 * (x + w + y), quick: true, wgnn,
  });
  return {
    'conv2d-fwd': conv('conv2d-fwd', `conv2d ${n}×26×26×32 → 64 3×3`, (b) => launch(b, kernels.conv2d, [x, w], [y], p)),
    'conv2d-dx': conv('conv2d-dx', 'conv2d input-gradient, same', (b) => launch(b, kernels.conv2dGradInput, [y, w], [x], p)),
    'conv2d-dw': conv('conv2d-dw', 'conv2d weight-gradient, same', (b) => launch(b, kernels.conv2dGradWeight, [x, y], [w], p)),
  };
}
const seedConv = seedConvWorkloads(64);
/** The same convolution at 64, for the other engines. */
const cp = seedConvParams(64);
const tfConvInputs = (tf: typeof TF) => ({
  x: tf.randomNormal([cp.n, cp.h, cp.w, cp.c]) as TF.Tensor4D,
  f: tf.randomNormal([cp.kh, cp.kw, cp.c, cp.k]) as TF.Tensor4D,
  dy: tf.randomNormal([cp.n, cp.oh, cp.ow, cp.k]) as TF.Tensor4D,
});
/** Python: x, w, dy (NCHW, as ours) and im2col + one sgemm per convolution, numpy's fastest route. */
const npConv = `n, c, h, w_, k, kh, kw, oh, ow = ${[cp.n, cp.c, cp.h, cp.w, cp.k, cp.kh, cp.kw, cp.oh, cp.ow].join(', ')}
x = np.random.rand(n, c, h, w_).astype(np.float32); w = np.random.rand(k, c, kh, kw).astype(np.float32)
dy = np.random.rand(n, k, oh, ow).astype(np.float32)
def im2col():
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))  # n, c, oh, ow, kh, kw
    return np.ascontiguousarray(win.transpose(0, 2, 3, 1, 4, 5)).reshape(n * oh * ow, c * kh * kw)`;

/** Pooling and batch norm on the seed CNN's feature maps. */
const pool = { planes: 64 * 64, h: 24, w: 24, size: 2, stride: 2, oh: 12, ow: 12 };
const bn = { n: 64, c: 32, s: 26 * 26, eps: 1e-3 };
const bnLen = bn.n * bn.c * bn.s;
const xent = { rows: 1024, cols: 1000 };

/** Iterations of the roofline loop a thread: about 20 ms at 40 GFLOP/s, long beside waking the workers. */
const PEAK_ITERATIONS = 8_000_000;
const peakThreads = defaultThreads();

/**
 * The WASM backend's roofline, measured in the same run as its kernels: assembly/peak.ts's
 * register-only multiply-add loop, one chunk on each thread of the backend's pool.
 */
export const wasmPeakWorkload: Workload = {
  key: 'wasm-fma-peak',
  label: `wasm f32x4 FMA peak (${peakThreads} thread${peakThreads === 1 ? '' : 's'})`,
  unit: 'GFLOP/s',
  amount: PEAK_FLOPS_PER_ITERATION * PEAK_ITERATIONS * peakThreads,
  quick: true,
  wasm: (b) => {
    if (b.threads !== peakThreads) throw new Error(`wasm peak: the backend runs ${b.threads} threads, the workload was sized for ${peakThreads}`);
    // c ← c·a + b converges to 1 and stays normal: no denormal slows a step.
    return { run: () => void fmaPeak(b, PEAK_ITERATIONS, 0.5, 0.5), dispose: () => {} };
  },
  note: 'wasm f32x4 FMA peak: 12 independent f32x4 chains c ← c·a + b in registers (assembly/peak.ts), one on each thread of the wgnn-wasm pool; a fused multiply-add with relaxed SIMD, a multiply and an add in the plain build. wasm/peak: each wgnn-wasm GFLOP/s row as a share of it, from this run.',
};

export const workloads: Workload[] = [
  wasmPeakWorkload,
  matmulWorkload(64, 784, 128, true),
  matmulWorkload(1024, 1024, 1024, true),
  matmulWorkload(2048, 2048, 2048, false, true),
  {
    ...seedConv['conv2d-fwd'],
    tfjs: (tf) => {
      const { x, f, dy } = tfConvInputs(tf);
      return tfRun(tf, () => tf.conv2d(x, f, 1, 'valid'), [x, f, dy]);
    },
    torch: { kind: 'conv-fwd', args: { ...cp } },
    numpy: `${npConv}\ndef run(): np.ascontiguousarray((im2col() @ w.reshape(k, -1).T).reshape(n, oh * ow, k).transpose(0, 2, 1))`,
  },
  {
    ...seedConv['conv2d-dx'],
    tfjs: (tf) => {
      const { x, f, dy } = tfConvInputs(tf);
      return tfRun(tf, () => tf.conv2dTranspose(dy, f, [cp.n, cp.h, cp.w, cp.c], 1, 'valid'), [x, f, dy]);
    },
    torch: { kind: 'conv-dx', args: { ...cp } },
    numpy: `${npConv}
def run():
    cols = (dy.transpose(0, 2, 3, 1).reshape(-1, k) @ w.reshape(k, -1)).reshape(n, oh, ow, c, kh, kw)
    dx = np.zeros_like(x)
    for ky in range(kh):
        for kx in range(kw):
            dx[:, :, ky:ky + oh, kx:kx + ow] += cols[:, :, :, :, ky, kx].transpose(0, 3, 1, 2)`,
  },
  {
    ...seedConv['conv2d-dw'],
    tfjs: (tf, backend) => {
      const { x, f, dy } = tfConvInputs(tf);
      if (backend === 'cpu') {
        const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [cp.kh, cp.kw, cp.c, cp.k] };
        return tfRun(tf, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as TF.Tensor, [x, f, dy]);
      }
      // TF.js wasm has no Conv2DBackpropFilter: the forward conv over transposes does the reduction.
      return tfRun(tf, () => tf.transpose(tf.conv2d(tf.transpose(x, [3, 1, 2, 0]) as TF.Tensor4D, tf.transpose(dy, [1, 2, 0, 3]) as TF.Tensor4D, 1, 'valid'), [1, 2, 0, 3]), [x, f, dy]);
    },
    torch: { kind: 'conv-dw', args: { ...cp } },
    numpy: `${npConv}\ndef run(): dy.transpose(1, 0, 2, 3).reshape(k, -1) @ im2col()`,
    skip: { 'tfjs-cpu': 'TF.js cpu Conv2DBackpropFilter takes minutes a run' },
    note: 'TF.js wasm lacks Conv2DBackpropFilter; its figure is Conv2D over transposes (shared/anchors.md).',
  },
  {
    key: 'maxpool-fwd', label: 'maxPool 2×2, 64×64×24×24', unit: 'GB/s', amount: 4 * pool.planes * (pool.h * pool.w + pool.oh * pool.ow), quick: true,
    wgnn: (b) => launch(b, kernels.maxPool, [pool.planes * pool.h * pool.w], [pool.planes * pool.oh * pool.ow], pool),
    tfjs: (tf) => {
      const x = tf.randomNormal([64, 24, 24, 64]) as TF.Tensor4D;
      return tfRun(tf, () => tf.maxPool(x, 2, 2, 'valid'), [x]);
    },
    numpy: `x = np.random.rand(64, 64, 24, 24).astype(np.float32)\ndef run(): x.reshape(64, 64, 12, 2, 12, 2).max(axis=(3, 5))`,
  },
  {
    key: 'maxpool-grad', label: 'maxPool gradient, same', unit: 'GB/s', amount: 4 * pool.planes * (2 * pool.h * pool.w + pool.oh * pool.ow), quick: true,
    wgnn: (b) => launch(b, kernels.maxPoolGrad, [pool.planes * pool.h * pool.w, pool.planes * pool.oh * pool.ow], [pool.planes * pool.h * pool.w], pool),
    tfjs: (tf) => {
      const x = tf.randomNormal([64, 24, 24, 64]) as TF.Tensor4D;
      const y = tf.maxPool(x, 2, 2, 'valid');
      const dy = tf.randomNormal(y.shape);
      return tfRun(tf, () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as TF.Tensor, [x, y, dy]);
    },
    numpy: `x = np.random.rand(64, 64, 24, 24).astype(np.float32); dy = np.random.rand(64, 64, 12, 12).astype(np.float32)
def run():
    w = x.reshape(64, 64, 12, 2, 12, 2).transpose(0, 1, 2, 4, 3, 5).reshape(64, 64, 12, 12, 4)
    hot = np.argmax(w, axis=-1)[..., None] == np.arange(4)
    (hot * dy[..., None]).reshape(64, 64, 12, 12, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(64, 64, 24, 24)`,
  },
  {
    key: 'batchnorm-fwd', label: 'batch norm stats + forward, 64×32×26×26', unit: 'GB/s', amount: 4 * 3 * bnLen, quick: true,
    wgnn: (b) => {
      const x = filled(b, bnLen);
      const [mean, variance, gamma, beta, y] = [bn.c, bn.c, bn.c, bn.c, bnLen].map((n) => filled(b, n, true));
      return {
        run: () => {
          b.run(kernels.bnStats, [x], [mean, variance], bn);
          b.run(kernels.bnForward, [x, mean, variance, gamma, beta], [y], bn);
        },
        dispose: () => [x, mean, variance, gamma, beta, y].forEach((s) => b.free(s)),
      };
    },
    tfjs: (tf) => {
      const x = tf.randomNormal([64, 26, 26, 32]);
      const gamma = tf.ones([32]);
      const beta = tf.zeros([32]);
      return tfRun(tf, () => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3);
      }, [x, gamma, beta]);
    },
    numpy: `x = np.random.rand(64, 32, 26, 26).astype(np.float32)
def run():
    m = x.mean(axis=(0, 2, 3), keepdims=True); v = x.var(axis=(0, 2, 3), keepdims=True)
    (x - m) / np.sqrt(v + 1e-3)`,
  },
  {
    key: 'batchnorm-bwd', label: 'batch norm backward, same', unit: 'GB/s', amount: 4 * 3 * bnLen, quick: true,
    wgnn: (b) => launch(b, kernels.bnBackward, [bnLen, bnLen, bn.c, bn.c, bn.c], [bnLen, bn.c, bn.c], bn, [3]),
    tfjs: (tf) => {
      const x = tf.randomNormal([64, 26, 26, 32]);
      const dy = tf.randomNormal([64, 26, 26, 32]);
      const gamma = tf.ones([32]);
      const beta = tf.zeros([32]);
      const grads = tf.grads((xs: TF.Tensor, g: TF.Tensor, bt: TF.Tensor) => {
        const { mean, variance } = tf.moments(xs, [0, 1, 2]);
        return tf.batchNorm(xs, mean, variance, bt, g, 1e-3);
      });
      return tfRun(tf, () => grads([x, gamma, beta], dy), [x, dy, gamma, beta]);
    },
    numpy: `x = np.random.rand(64, 32, 26, 26).astype(np.float32); dy = np.random.rand(64, 32, 26, 26).astype(np.float32)
def run():
    m = x.mean(axis=(0, 2, 3), keepdims=True); inv = 1 / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + 1e-3)
    xh = (x - m) * inv; sdy = dy.sum(axis=(0, 2, 3), keepdims=True); sdx = (dy * xh).sum(axis=(0, 2, 3), keepdims=True)
    inv / x[:, 0].size * (x[:, 0].size * dy - sdy - xh * sdx)`,
    note: 'TF.js batch norm backward: tf.grads through moments + batchNorm, as its training does.',
  },
  {
    key: 'softmax-xent', label: `softmax cross-entropy + gradient, ${xent.rows}×${xent.cols}`, unit: 'GB/s', amount: 4 * 2 * xent.rows * xent.cols, quick: true,
    wgnn: (b) => {
      const x = filled(b, xent.rows * xent.cols);
      const labels = b.alloc(xent.rows);
      b.write(labels, Float32Array.from({ length: xent.rows }, () => Math.floor(Math.random() * xent.cols)));
      const [loss, dloss, dx] = [xent.rows, xent.rows, xent.rows * xent.cols].map((n) => filled(b, n));
      return {
        run: () => {
          b.run(kernels.crossEntropy, [x, labels], [loss], xent);
          b.run(kernels.crossEntropyGrad, [x, labels, dloss], [dx], xent);
        },
        dispose: () => [x, labels, loss, dloss, dx].forEach((s) => b.free(s)),
      };
    },
    tfjs: (tf) => {
      const x = tf.randomNormal([xent.rows, xent.cols]);
      const onehot = tf.oneHot(tf.randomUniform([xent.rows], 0, xent.cols, 'int32') as TF.Tensor1D, xent.cols);
      const grad = tf.valueAndGrad((logits: TF.Tensor) => tf.losses.softmaxCrossEntropy(onehot, logits));
      return tfRun(tf, () => {
        const { value, grad: g } = grad(x);
        return [value, g];
      }, [x, onehot]);
    },
    numpy: `x = np.random.rand(${xent.rows}, ${xent.cols}).astype(np.float32); labels = np.random.randint(0, ${xent.cols}, ${xent.rows})
def run():
    z = x - x.max(axis=1, keepdims=True); e = np.exp(z); s = e.sum(axis=1, keepdims=True)
    loss = np.log(s[:, 0]) - z[np.arange(${xent.rows}), labels]
    p = e / s; p[np.arange(${xent.rows}), labels] -= 1`,
  },
];
