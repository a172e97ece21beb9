/**
 * The one table of kernel parity cases: every fast or device implementation (WGSL, WASM) is run
 * on these and compared against the float64 reference. Sizes are odd and off every tile; typed
 * over the registry so that a new kernel without cases does not compile.
 */
import type { KernelName, ParamsOf } from '../src/kernels/registry.ts';
import { broadcastStrides } from '../src/kernels/shape.ts';
import { unaryOps, binaryOps, unarySpec, type UnaryOp } from '../src/kernels/elementwise.ts';
import { convParams } from './helpers.ts';
import { rnnCases } from './rnn-cases.ts';
import { slotStride, stateCount } from '../src/kernels/optimizers.ts';
import { fusedActivations } from '../src/kernels/activation.ts';

/** How an input or in-place target is filled: never zero. */
export type Fill = 'signed' | 'positive' | { labels: number };
export interface Slot {
  length: number;
  fill?: Fill;
}

export interface KernelCase<P> {
  label: string;
  params: P;
  inputs: Slot[];
  /** a number is a pure output (poisoned before the run); a Slot is an in-place target */
  outputs: Array<number | Slot>;
}

type Cases = { [K in KernelName]: Array<KernelCase<ParamsOf<K>>> };

const conv = convParams;
const convShapes = [
  conv(3, 3, 11, 9, 5, 3, 1, 'valid'), conv(2, 5, 9, 13, 7, 3, 1, 'same'), conv(3, 2, 10, 7, 3, 3, 2, 'same'), conv(2, 3, 8, 8, 4, 1, 1, 'valid'),
  // 5×5, as the fast preset's first layer (one input channel; wide enough for the WASM wide layout), and padded
  conv(3, 1, 13, 14, 5, 5, 1, 'valid'), conv(2, 3, 9, 10, 7, 5, 1, 'same'),
  // RGB in, 3×3 'same': the colour presets' first layer (cifar-cnn, cifar-resnet) on odd sizes
  conv(2, 3, 11, 13, 5, 3, 1, 'same'),
];

const pool = (planes: number, h: number, w: number, size: number, stride: number) => ({
  planes, h, w, size, stride, oh: Math.floor((h - size) / stride) + 1, ow: Math.floor((w - size) / stride) + 1,
});
// 2×2 rows of 5, 7 and 3 windows: the WASM kernels' four-wide loop, its overlapping last step, and rows too short for it
const pools = [pool(7, 9, 11, 2, 2), pool(5, 7, 7, 3, 2), pool(3, 8, 5, 2, 1), pool(3, 13, 14, 2, 2), pool(4, 6, 7, 2, 2)];
const poolActivations = fusedActivations;

const bn = [{ n: 5, c: 3, s: 13 }, { n: 7, c: 11, s: 1 }];
const rows = [{ rows: 7, cols: 10 }, { rows: 13, cols: 3 }];

const broadcast = (a: number[], b: number[]) => {
  const shape = a.map((d, i) => Math.max(d, b[i]));
  return { shape, aStrides: broadcastStrides(a, shape), bStrides: broadcastStrides(b, shape), a, b };
};
const bShapes = [broadcast([3, 5, 7], [3, 5, 7]), broadcast([5, 7], [1, 7]), broadcast([3, 1, 7], [1, 5, 1])];
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
/** Inputs a unary op is defined on, from its declaration. */
export const domainFill = (op: UnaryOp): Fill => (unarySpec(op).domain === 'positive' ? 'positive' : 'signed');

export const kernelCases: Cases = {
  binary: binaryOps.flatMap((op) =>
    bShapes.map((s) => ({
      label: `${op} [${s.a}]∘[${s.b}]`,
      params: { op, shape: s.shape, aStrides: s.aStrides, bStrides: s.bStrides },
      inputs: [{ length: size(s.a) }, { length: size(s.b), fill: op === 'div' ? 'positive' as const : 'signed' as const }],
      outputs: [size(s.shape)],
    })),
  ),
  unary: unaryOps.map((op) => ({ label: op, params: { op }, inputs: [{ length: 301, fill: domainFill(op) }], outputs: [301] })),
  unaryGrad: unaryOps.map((op) => ({ label: op, params: { op }, inputs: [{ length: 301, fill: domainFill(op) }, { length: 301 }], outputs: [301] })),
  affine: [{ label: '1003', params: { scale: -0.7, shift: 0.3 }, inputs: [{ length: 1003 }], outputs: [1003] }],
  axpy: [{ label: '1003', params: { alpha: 0.37 }, inputs: [{ length: 1003 }], outputs: [{ length: 1003 }] }],
  sumTo: [
    { label: '[13,7]→[1,7]', params: { shape: [13, 7], outStrides: [0, 1], scale: 1 }, inputs: [{ length: 91 }], outputs: [7] },
    { label: '[3,5,7]→[1] mean', params: { shape: [3, 5, 7], outStrides: [0, 0, 0], scale: 1 / 105 }, inputs: [{ length: 105 }], outputs: [1] },
    { label: '[3,5,7]→[3,1,7]', params: { shape: [3, 5, 7], outStrides: [7, 0, 1], scale: 1 }, inputs: [{ length: 105 }], outputs: [21] },
  ],
  broadcast: [
    { label: '[7]→[13,7]', params: { shape: [13, 7], strides: [0, 1], scale: 1 }, inputs: [{ length: 7 }], outputs: [91] },
    { label: '[1]→[3,5,7]', params: { shape: [3, 5, 7], strides: [0, 0, 0], scale: 0.5 }, inputs: [{ length: 1 }], outputs: [105] },
  ],
  matmul: [
    { m: 13, n: 17, k: 19, transA: false, transB: false, bias: false },
    { m: 13, n: 17, k: 19, transA: false, transB: true, bias: true },
    { m: 33, n: 9, k: 65, transA: true, transB: false, bias: false },
    { m: 5, n: 67, k: 31, transA: true, transB: true, bias: true },
    { m: 11, n: 20, k: 9, transA: false, transB: false, bias: true, activation: 'relu' as const },
    { m: 7, n: 13, k: 21, transA: false, transB: true, bias: true, activation: 'tanh' as const },
    { m: 9, n: 5, k: 12, transA: true, transB: false, bias: false, activation: 'sigmoid' as const },
    { m: 6, n: 8, k: 17, transA: false, transB: false, bias: false, activation: 'softsign' as const },
    { m: 13, n: 11, k: 23, transA: true, transB: false, bias: false, rowSums: true },
    { m: 10, n: 7, k: 15, transA: false, transB: true, bias: false, rowSums: true },
  ].map((p) => ({
    label: `${p.m}×${p.k}${p.transA ? 'ᵀ' : ''}·${p.k}×${p.n}${p.transB ? 'ᵀ' : ''}${p.bias ? '+b' : ''}${p.activation ? ` ${p.activation}` : ''}${p.rowSums ? ' +row sums' : ''}`,
    params: p,
    inputs: [{ length: p.m * p.k }, { length: p.k * p.n }, ...(p.bias ? [{ length: p.n }] : [])],
    outputs: p.rowSums ? [p.m * p.n, p.m] : [p.m * p.n],
  })),
  activationGrad: (['relu', 'tanh', 'softsign', 'sigmoid'] as const).map((op) => ({
    label: op, params: { op }, inputs: [{ length: 301, fill: op === 'relu' ? 'signed' as const : 'positive' as const }, { length: 301 }], outputs: [301],
  })),
  conv2d: convShapes.map((p, i) => {
    const q = { ...p, bias: i % 2 === 0, activation: i === 1 ? 'relu' as const : i === 2 ? 'tanh' as const : undefined };
    return {
      label: `${p.n}×${p.c}×${p.h}×${p.w} k${p.k} ${p.kh}×${p.kw} s${p.stride} pad${p.padTop}${q.activation ? ` ${q.activation}` : ''}`,
      params: q,
      inputs: [{ length: p.n * p.c * p.h * p.w }, { length: p.k * p.c * p.kh * p.kw }, ...(q.bias ? [{ length: p.k }] : [])],
      outputs: [p.n * p.k * p.oh * p.ow],
    };
  }),
  conv2dGradInput: convShapes.map((p) => ({
    label: `${p.n}×${p.c}×${p.h}×${p.w} k${p.k} s${p.stride}`, params: p,
    inputs: [{ length: p.n * p.k * p.oh * p.ow }, { length: p.k * p.c * p.kh * p.kw }], outputs: [p.n * p.c * p.h * p.w],
  })),
  conv2dGradWeight: convShapes.map((p, i) => ({
    label: `${p.n}×${p.c}×${p.h}×${p.w} k${p.k} s${p.stride}${i % 2 ? ' +bias gradient' : ''}`, params: { ...p, biasGrad: i % 2 === 1 },
    inputs: [{ length: p.n * p.c * p.h * p.w }, { length: p.n * p.k * p.oh * p.ow }], outputs: i % 2 ? [p.k * p.c * p.kh * p.kw, p.k] : [p.k * p.c * p.kh * p.kw],
  })),
  maxPool: pools.map((p) => ({ label: `${p.planes}×${p.h}×${p.w} /${p.size}s${p.stride}`, params: p, inputs: [{ length: p.planes * p.h * p.w }], outputs: [p.planes * p.oh * p.ow] })),
  maxPoolGrad: pools.map((p) => ({
    label: `${p.planes}×${p.h}×${p.w} /${p.size}s${p.stride}`, params: p,
    inputs: [{ length: p.planes * p.h * p.w }, { length: p.planes * p.oh * p.ow }], outputs: [p.planes * p.h * p.w],
  })),
  maxPoolAct: pools.flatMap((p) => poolActivations.map((op) => ({
    label: `${p.planes}×${p.h}×${p.w} /${p.size}s${p.stride} ${op}`, params: { ...p, op }, inputs: [{ length: p.planes * p.h * p.w }], outputs: [p.planes * p.oh * p.ow],
  }))),
  maxPoolActGrad: pools.flatMap((p) => poolActivations.map((op) => ({
    label: `${p.planes}×${p.h}×${p.w} /${p.size}s${p.stride} ${op}`, params: { ...p, op },
    // the pooled output act′ is read from: in (0, 1) for sigmoid
    inputs: [{ length: p.planes * p.h * p.w }, { length: p.planes * p.oh * p.ow, fill: op === 'sigmoid' ? 'positive' as const : 'signed' as const }, { length: p.planes * p.oh * p.ow }],
    outputs: [p.planes * p.h * p.w],
  }))),
  avgPool: pools.map((p) => ({ label: `${p.planes}×${p.h}×${p.w} /${p.size}s${p.stride}`, params: p, inputs: [{ length: p.planes * p.h * p.w }], outputs: [p.planes * p.oh * p.ow] })),
  avgPoolGrad: pools.map((p) => ({
    label: `${p.planes}×${p.h}×${p.w} /${p.size}s${p.stride}`, params: p, inputs: [{ length: p.planes * p.oh * p.ow }], outputs: [p.planes * p.h * p.w],
  })),
  bnStats: [
    ...bn.map((p) => ({ label: `${p.n}×${p.c}×${p.s}`, params: p, inputs: [{ length: p.n * p.c * p.s }], outputs: [p.c, p.c] })),
    ...bn.map((p) => ({
      label: `${p.n}×${p.c}×${p.s} + running statistics`, params: { ...p, momentum: 0.9 }, inputs: [{ length: p.n * p.c * p.s }],
      outputs: [p.c, p.c, { length: p.c }, { length: p.c, fill: 'positive' as const }],
    })),
  ],
  bnForward: bn.map((p, i) => ({
    label: `${p.n}×${p.c}×${p.s}${i ? ' relu' : ''}`, params: { ...p, eps: 1e-3, activation: i ? 'relu' as const : undefined },
    inputs: [{ length: p.n * p.c * p.s }, { length: p.c }, { length: p.c, fill: 'positive' as const }, { length: p.c }, { length: p.c }],
    outputs: [p.n * p.c * p.s],
  })),
  bnBackward: [
    ...bn.map((p) => ({
      label: `${p.n}×${p.c}×${p.s}`, params: { ...p, eps: 1e-3 },
      inputs: [{ length: p.n * p.c * p.s }, { length: p.n * p.c * p.s }, { length: p.c }, { length: p.c, fill: 'positive' as const }, { length: p.c }],
      outputs: [p.n * p.c * p.s, p.c, p.c],
    })),
    ...(['relu', 'tanh'] as const).map((activation, i) => {
      const p = bn[i];
      return {
        label: `${p.n}×${p.c}×${p.s} behind ${activation}`, params: { ...p, eps: 1e-3, activation },
        inputs: [{ length: p.n * p.c * p.s }, { length: p.n * p.c * p.s }, { length: p.c }, { length: p.c, fill: 'positive' as const }, { length: p.c }, { length: p.n * p.c * p.s }],
        outputs: [p.n * p.c * p.s, p.c, p.c],
      };
    }),
  ],
  ema: [{ label: '37', params: { momentum: 0.99, correction: 1.01 }, inputs: [{ length: 37 }], outputs: [{ length: 37 }] }],
  dropout: [
    { label: '1001 @0.25', params: { rate: 0.25, seed: 12345 }, inputs: [{ length: 1001 }], outputs: [1001] },
    { label: '777 @0.5', params: { rate: 0.5, seed: 0xdeadbeef }, inputs: [{ length: 777 }], outputs: [777] },
  ],
  softmax: rows.map((p) => ({ label: `${p.rows}×${p.cols}`, params: p, inputs: [{ length: p.rows * p.cols }], outputs: [p.rows * p.cols] })),
  softmaxGrad: rows.map((p) => ({
    label: `${p.rows}×${p.cols}`, params: p, inputs: [{ length: p.rows * p.cols, fill: 'positive' as const }, { length: p.rows * p.cols }], outputs: [p.rows * p.cols],
  })),
  crossEntropy: rows.map((p) => ({
    label: `${p.rows}×${p.cols}`, params: p, inputs: [{ length: p.rows * p.cols }, { length: p.rows, fill: { labels: p.cols } }], outputs: [p.rows],
  })),
  crossEntropyGrad: rows.map((p) => ({
    label: `${p.rows}×${p.cols}`, params: p,
    inputs: [{ length: p.rows * p.cols }, { length: p.rows, fill: { labels: p.cols } }, { length: p.rows }], outputs: [p.rows * p.cols],
  })),
  crossEntropyMean: rows.map((p) => ({
    label: `${p.rows}×${p.cols}`, params: p, inputs: [{ length: p.rows * p.cols }, { length: p.rows, fill: { labels: p.cols } }], outputs: [1],
  })),
  crossEntropyMeanGrad: rows.map((p) => ({
    label: `${p.rows}×${p.cols}`, params: p,
    inputs: [{ length: p.rows * p.cols }, { length: p.rows, fill: { labels: p.cols } }, { length: 1 }], outputs: [p.rows * p.cols],
  })),
  countCorrect: rows.map((p) => ({
    label: `${p.rows}×${p.cols}`, params: p, inputs: [{ length: p.rows * p.cols }, { length: p.rows, fill: { labels: p.cols } }], outputs: [{ length: 1, fill: 'positive' as const }],
  })),
  sgd: [{ label: '1001', params: { lr: 0.05, weightDecay: 1e-3 }, inputs: [{ length: 1001 }], outputs: [{ length: 1001 }] }],
  momentum: [false, true].map((nesterov) => ({
    label: `1001${nesterov ? ' nesterov' : ''}`, params: { lr: 0.05, weightDecay: 0, momentum: 0.9, nesterov },
    inputs: [{ length: 1001 }], outputs: [{ length: 1001 }, { length: 1001 }],
  })),
  adam: [
    ...[false, true].map((decoupled) => ({
      label: `1001 ${decoupled ? 'adamw' : 'adam'}`, params: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7, step: 3, weightDecay: 0.01, decoupled },
      inputs: [{ length: 1001 }], outputs: [{ length: 1001 }, { length: 1001 }, { length: 1001, fill: 'positive' as const }],
    })),
    // the fast recipe's β (0.7, 0.9) and PyTorch's ε
    { label: '1001 adam β (0.7, 0.9) ε 1e-8', params: { lr: 1e-2, beta1: 0.7, beta2: 0.9, eps: 1e-8, step: 5, weightDecay: 0, decoupled: false },
      inputs: [{ length: 1001 }], outputs: [{ length: 1001 }, { length: 1001 }, { length: 1001, fill: 'positive' as const }] },
  ],
  updateGroup: [
    { label: 'adam ×9 (two groups): 1001, 37, 5, 260, 64, 1, 129, 300, 7', rule: { kind: 'adam' as const, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7, step: 3, weightDecay: 0.01, decoupled: true }, sizes: [1001, 37, 5, 260, 64, 1, 129, 300, 7] },
    { label: 'momentum ×3: 77, 301, 9', rule: { kind: 'momentum' as const, lr: 0.05, weightDecay: 1e-3, momentum: 0.9, nesterov: true }, sizes: [77, 301, 9] },
    { label: 'sgd ×2: 13, 500', rule: { kind: 'sgd' as const, lr: 0.05, weightDecay: 1e-3 }, sizes: [13, 500] },
  ].map(({ label, rule, sizes }) => {
    const states = stateCount[rule.kind];
    // The packed state starts one slot in, so the first group's window of it is bound at an offset.
    const offsets: number[] = [];
    let end = 64;
    for (const n of sizes) {
      offsets.push(end);
      end += states * slotStride(n);
    }
    return {
      label, params: { rule, offsets }, inputs: sizes.map((length) => ({ length })),
      outputs: [...sizes.map((length) => ({ length })), { length: Math.max(end, 1), fill: 'positive' as const }],
    };
  }),
  ...rnnCases,
};
