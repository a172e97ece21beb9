/**
 * Float64 central-difference gradient checks of every differentiable op, on random non-zero
 * inputs of odd sizes. The loss is a random projection of the op's output, so every output
 * element's gradient matters.
 */
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { backward } from '../src/tensor/autograd.ts';
import { scope, setBackend } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';
import { Rng } from '../src/kernels/random.ts';
import * as ew from '../src/kernels/elementwise.ts';
import { mean, sum, sumTo, broadcastTo } from '../src/kernels/reduce.ts';
import { matmul } from '../src/kernels/matmul.ts';
import { conv2d } from '../src/kernels/conv2d.ts';
import { avgPool2d, maxPool2d, maxPool2dAct } from '../src/kernels/pool.ts';
import { batchNorm } from '../src/kernels/batchnorm.ts';
import { dropout } from '../src/kernels/dropout.ts';
import { crossEntropy, softmax } from '../src/kernels/softmax.ts';
import { l2Penalty } from '../src/kernels/penalty.ts';
import { rnnGradCases } from './rnn-cases.ts';
import { fillValues } from './parity.ts';
import { domainFill, type Fill } from './kernel-cases.ts';
import type { GradOp } from '../src/kernels/ops.ts';

const backend = new ReferenceBackend('float64');
setBackend(backend);

export interface Arg {
  shape: number[];
  fill?: Fill;
  /** a constant input (labels): no gradient checked */
  constant?: boolean;
}

export interface GradCase {
  name: string;
  args: Arg[];
  f: (...xs: Tensor[]) => Tensor;
}

async function check({ args, f }: GradCase, seed: number): Promise<number> {
  const rng = new Rng(seed);
  const values = args.map((a) => fillValues(a.shape.reduce((p, d) => p * d, 1), a.fill ?? 'signed', rng));
  const evaluate = (vals: Float64Array[], withGrad: boolean) =>
    scope(() => {
      const xs = vals.map((v, i) => {
        const t = Tensor.from(v, args[i].shape);
        t.requiresGrad = withGrad && !args[i].constant;
        return t;
      });
      const y = f(...xs);
      const proj = Tensor.from(fillValues(y.size, 'signed', new Rng(seed + 1)), y.shape);
      const loss = sum(ew.mul(y, proj));
      if (withGrad) backward(loss);
      return { loss, grads: xs.map((x) => x.grad ?? Tensor.scalar(0)) };
    });
  const readLoss = async (vals: Float64Array[]) => {
    const { loss } = evaluate(vals, false);
    const value = await loss.item();
    loss.dispose();
    return value;
  };
  const { grads } = evaluate(values, true);
  let worst = 0;
  const h = 1e-6;
  for (let a = 0; a < args.length; a++) {
    if (args[a].constant) continue;
    const analytic = await grads[a].read();
    for (let i = 0; i < values[a].length; i++) {
      const orig = values[a][i];
      values[a][i] = orig + h;
      const up = await readLoss(values);
      values[a][i] = orig - h;
      const down = await readLoss(values);
      values[a][i] = orig;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(1, Math.abs(numeric)));
    }
  }
  return worst;
}

const bnState = (c: number) => ({
  runningMean: Tensor.from(new Array<number>(c).fill(0), [c]),
  runningVar: Tensor.from(new Array<number>(c).fill(1), [c]),
  momentum: 0.99,
  eps: 1e-3,
});

const unary = (op: ew.UnaryOp): GradCase => ({ name: op, args: [{ shape: [5, 7], fill: domainFill(op) }], f: (x) => ew.unary(op, x) });

/** One or more checks per op, keyed by the name it records: a new op without a row does not compile. */
const gradCases: { readonly [Op in GradOp]: readonly GradCase[] } = {
  add: [{ name: 'add broadcast', args: [{ shape: [3, 5] }, { shape: [5] }], f: ew.add }],
  sub: [{ name: 'sub broadcast', args: [{ shape: [3, 1, 5] }, { shape: [1, 3, 1] }], f: ew.sub }],
  mul: [{ name: 'mul broadcast', args: [{ shape: [7, 3] }, { shape: [7, 1] }], f: ew.mul }],
  div: [{ name: 'div broadcast', args: [{ shape: [3, 5] }, { shape: [5], fill: 'positive' }], f: ew.div }],
  relu: [unary('relu')],
  tanh: [unary('tanh')],
  softsign: [unary('softsign')],
  gelu: [unary('gelu')],
  sigmoid: [unary('sigmoid')],
  exp: [unary('exp')],
  log: [unary('log')],
  neg: [unary('neg')],
  square: [unary('square')],
  sqrt: [unary('sqrt')],
  affine: [{ name: 'affine', args: [{ shape: [11] }], f: (x) => ew.affine(x, -1.7, 0.4) }],
  reshape: [{ name: 'reshape + flatten', args: [{ shape: [3, 2, 5] }], f: (x) => ew.mul(ew.flatten(x), ew.flatten(x)) }],
  sumTo: [
    { name: 'sumTo rows', args: [{ shape: [5, 3] }], f: (x) => sumTo(x, [1, 3]) },
    { name: 'mean', args: [{ shape: [3, 7] }], f: mean },
  ],
  broadcast: [{ name: 'broadcastTo', args: [{ shape: [1, 3] }], f: (x) => broadcastTo(x, [5, 3]) }],
  matmul: [
    { name: 'matmul', args: [{ shape: [3, 5] }, { shape: [5, 7] }], f: (a, b) => matmul(a, b) },
    { name: 'matmul Aᵀ Bᵀ', args: [{ shape: [5, 3] }, { shape: [7, 5] }], f: (a, b) => matmul(a, b, { transA: true, transB: true }) },
    { name: 'dense x·Wᵀ + b', args: [{ shape: [3, 5] }, { shape: [7, 5] }, { shape: [7] }], f: (x, w, b) => matmul(x, w, { transB: true, bias: b }) },
    // The fused activations take their gradient from the saved output.
    ...(['relu', 'tanh', 'softsign', 'sigmoid'] as const).map((activation) => ({
      name: `dense x·Wᵀ + b, fused ${activation}`, args: [{ shape: [3, 5] }, { shape: [7, 5] }, { shape: [7] }],
      f: (x: Tensor, w: Tensor, b: Tensor) => matmul(x, w, { transB: true, bias: b, activation }),
    })),
    { name: 'matmul Aᵀ·B, fused tanh', args: [{ shape: [5, 3] }, { shape: [5, 4] }], f: (a, b) => matmul(a, b, { transA: true, activation: 'tanh' }) },
  ],
  conv2d: [
    { name: 'conv2d valid + bias', args: [{ shape: [2, 3, 7, 6] }, { shape: [4, 3, 3, 3] }, { shape: [4] }], f: (x, w, b) => conv2d(x, w, { bias: b }) },
    { name: 'conv2d + bias, fused relu', args: [{ shape: [2, 3, 7, 6] }, { shape: [4, 3, 3, 3] }, { shape: [4] }], f: (x, w, b) => conv2d(x, w, { bias: b, activation: 'relu' }) },
    { name: 'conv2d same + bias, fused sigmoid', args: [{ shape: [2, 2, 5, 5] }, { shape: [3, 2, 3, 3] }, { shape: [3] }], f: (x, w, b) => conv2d(x, w, { padding: 'same', bias: b, activation: 'sigmoid' }) },
    { name: 'conv2d same stride 2', args: [{ shape: [2, 2, 7, 5] }, { shape: [3, 2, 3, 3] }], f: (x, w) => conv2d(x, w, { stride: 2, padding: 'same' }) },
  ],
  maxPool2d: [{ name: 'maxPool2d', args: [{ shape: [2, 3, 5, 7] }], f: (x) => maxPool2d(x, 2) }],
  maxPool2dAct: [
    ...(['relu', 'tanh', 'softsign', 'sigmoid'] as const).map((op) => ({ name: `maxPool2d fused ${op}`, args: [{ shape: [2, 3, 5, 7] }], f: (x: Tensor) => maxPool2dAct(x, op, 2) })),
    { name: 'maxPool2d 3/2 fused tanh', args: [{ shape: [2, 2, 7, 5] }], f: (x) => maxPool2dAct(x, 'tanh', 3, 2) },
  ],
  avgPool2d: [{ name: 'avgPool2d 3/2', args: [{ shape: [2, 2, 7, 5] }], f: (x) => avgPool2d(x, 3, 2) }],
  batchNorm: [
    {
      name: 'batchNorm conv',
      args: [{ shape: [3, 2, 3, 5] }, { shape: [2] }, { shape: [2] }],
      f: (x, gamma, beta) => batchNorm(x, { gamma, beta, ...bnState(2) }, true),
    },
    ...(['relu', 'tanh', 'sigmoid'] as const).map((activation) => ({
      name: `batchNorm conv, fused ${activation}`,
      args: [{ shape: [3, 2, 3, 5] }, { shape: [2] }, { shape: [2] }],
      f: (x: Tensor, gamma: Tensor, beta: Tensor) => batchNorm(x, { gamma, beta, ...bnState(2) }, true, activation),
    })),
    {
      name: 'batchNorm dense',
      args: [{ shape: [5, 3] }, { shape: [3] }, { shape: [3] }],
      f: (x, gamma, beta) => batchNorm(x, { gamma, beta, ...bnState(3) }, true),
    },
  ],
  dropout: [{ name: 'dropout', args: [{ shape: [7, 9] }], f: (x) => dropout(x, 0.4, 99) }],
  softmax: [{ name: 'softmax', args: [{ shape: [3, 7] }], f: softmax }],
  crossEntropy: [{ name: 'crossEntropy', args: [{ shape: [5, 4] }, { shape: [5], fill: { labels: 4 }, constant: true }], f: crossEntropy }],
  ...rnnGradCases,
};

/** Compositions of the ops above: their gradients come for free, and are checked all the same. */
const compositions: GradCase[] = [
  { name: 'l2Penalty', args: [{ shape: [3, 5] }, { shape: [4] }], f: (a, b) => l2Penalty([a, b], 0.01) },
  { name: 'residual add', args: [{ shape: [2, 3, 4, 4] }], f: (x) => ew.relu(ew.add(x, ew.tanh(x))) },
];

const cases = [...Object.values(gradCases).flat(), ...compositions];

describe('float64 central-difference gradient checks', () => {
  for (const c of cases) {
    it(c.name, async () => {
      expect(await check(c, 11)).toBeLessThan(1e-6);
    });
  }
});
