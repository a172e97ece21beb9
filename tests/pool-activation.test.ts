/**
 * Max pooling fused with a monotone activation (maxPool2dAct) against the unfused pair, on every
 * backend: the op in both orders, and the layers that fuse it (Pool2D → activation, ReLU → Pool2D)
 * in the shapes of the `fast`, `digits` and seed-CNN models. Inputs are drawn from a few values so
 * that windows tie and many are all negative. Outputs must be bit for bit the unfused ones,
 * gradients equal within 1e-4.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { fusedActivations, type FusedActivation } from '../src/kernels/activation.ts';
import { unary } from '../src/kernels/elementwise.ts';
import { maxPool2d, maxPool2dAct } from '../src/kernels/pool.ts';
import { Rng } from '../src/kernels/random.ts';
import { Conv2D } from '../src/layers/conv2d.ts';
import { Dense } from '../src/layers/dense.ts';
import type { ForwardContext } from '../src/layers/layer.ts';
import { preset } from '../src/layers/presets.ts';
import { Sequential } from '../src/layers/sequential.ts';
import { ActivationLayer, Flatten, Pool2D } from '../src/layers/simple.ts';
import { backward } from '../src/tensor/autograd.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { setBackend } from '../src/tensor/context.ts';
import { Tensor, type Shape } from '../src/tensor/tensor.ts';
import { openWebGpu } from './helpers.ts';

const webgpu = await openWebGpu('fused pool-activation tests');
const backends: Record<string, Backend> = {
  reference: new ReferenceBackend(),
  wasm: new WasmBackend({ threads: 2, minParallelWork: 0 }),
  ...(webgpu ? { webgpu } : {}),
};
afterAll(() => Object.values(backends).forEach((b) => b.dispose()));

/** Values from a small set (ties, all-negative windows), or continuous ones. */
function values(n: number, rng: Rng, tied: boolean): number[] {
  return Array.from({ length: n }, () => (tied ? (rng.int(6) - 4) * 0.5 : 2 * rng.next() - 1));
}

const size = (s: Shape) => s.reduce((p, d) => p * d, 1);

/** The output and the gradient of Σ y · dy with respect to each of `leaves`. */
async function run(f: () => Tensor, leaves: Tensor[], dySeed: number): Promise<{ y: Float32Array; grads: Float32Array[] }> {
  const y = f();
  const dy = Tensor.from(values(y.size, new Rng(dySeed), false), y.shape);
  backward(y, dy);
  const out = { y: Float32Array.from(await y.read()), grads: [] as Float32Array[] };
  for (const t of leaves) {
    out.grads.push(Float32Array.from(await t.grad!.read()));
    t.grad!.dispose();
    t.grad = null;
  }
  y.dispose();
  dy.dispose();
  return out;
}

function expectBitIdentical(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  const a = new Uint32Array(got.buffer), b = new Uint32Array(want.buffer);
  const first = a.findIndex((v, i) => v !== b[i]);
  expect(first, `${what}: element ${first} is ${got[first]}, unfused ${want[first]}`).toBe(-1);
}

function expectClose(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (!(err <= worst)) { worst = err; at = i; }
  }
  expect(worst, `${what}: element ${at} is ${got[at]}, unfused ${want[at]}`).toBeLessThanOrEqual(1e-4);
}

/** Odd sizes, 2×2 windows (with a row and a column left over) and 3×3 ones. */
const opShapes: Array<{ shape: Shape; window: number }> = [
  { shape: [3, 5, 9, 11], window: 2 },
  { shape: [2, 3, 7, 10], window: 3 },
];

for (const [name, backend] of Object.entries(backends)) {
  describe(`${name}: maxPool2dAct is the unfused pair`, () => {
    const orders: Array<[string, FusedActivation, (x: Tensor, a: FusedActivation, k: number) => Tensor]> = [
      ...fusedActivations.map((a): [string, FusedActivation, (x: Tensor, a: FusedActivation, k: number) => Tensor] => [`pool then ${a}`, a, (x, act, k) => unary(act, maxPool2d(x, k))]),
      ['relu then pool', 'relu', (x, act, k) => maxPool2d(unary(act, x), k)],
    ];
    for (const [order, act, unfused] of orders)
      for (const { shape, window } of opShapes)
        for (const tied of [true, false]) {
          it(`${order}, [${shape}] /${window}${tied ? ', ties' : ''}`, async () => {
            setBackend(backend);
            const x = Tensor.from(values(size(shape), new Rng(3), tied), shape);
            x.requiresGrad = true;
            const want = await run(() => unfused(x, act, window), [x], 5);
            const got = await run(() => maxPool2dAct(x, act, window), [x], 5);
            expectBitIdentical(got.y, want.y, 'output');
            expectClose(got.grads[0], want.grads[0], 'dx');
            x.dispose();
          });
        }
  });

  describe(`${name}: models fuse max pooling with their activation`, () => {
    const models: Record<string, () => Sequential> = {
      'fast (conv → pool → relu)': () => preset('fast', { inputShape: [1, 13, 15] }),
      'fast with tanh': () => preset('fast', { inputShape: [1, 13, 15], activation: 'tanh' }),
      'digits (conv → BN → pool → relu)': () => preset('digits', { inputShape: [1, 15, 15] }),
      'cnn (conv → BN → relu → pool, dropout)': () => preset('cnn', { inputShape: [1, 11, 13] }),
      'seed-CNN shape (conv → relu → conv → relu → pool)': () =>
        new Sequential([new Conv2D(4, 3), new ActivationLayer('relu'), new Conv2D(5, 3), new ActivationLayer('relu'), new Pool2D('max', 2), new Flatten(), new Dense(10)], [1, 11, 13]),
    };
    for (const [label, make] of Object.entries(models))
      for (const tied of [true, false]) {
        it(`${label}${tied ? ', tied weights and inputs' : ''}`, async () => {
          setBackend(backend);
          const model = make().build(1);
          const rng = new Rng(9);
          if (tied) {
            // Weights in {-1, -0.5, 0, 0.5} and inputs likewise: sums tie exactly, many windows are all negative.
            const state: Record<string, { shape: number[]; data: number[] }> = {};
            for (const p of model.parameters()) state[p.fullName] = { shape: [...p.tensor.shape], data: p.name === 'running_var' ? new Array<number>(p.tensor.size).fill(1) : values(p.tensor.size, rng, true) };
            model.loadStateDict(state);
          }
          const shape = [3, ...model.inputShape];
          const x = Tensor.from(values(size(shape), rng, tied), shape);
          x.requiresGrad = true;
          const leaves = [x, ...model.trainable().map((p) => p.tensor)];
          const ctx: ForwardContext = { training: true, step: 1 };
          const fusedOps: string[] = [];
          const got = await run(() => {
            const y = model.forward(x, ctx);
            collectOps(y, fusedOps);
            return y;
          }, leaves, 4);
          // Layer by layer: no fusion of any kind.
          const want = await run(() => model.layers.reduce((h, l) => l.forward(h, ctx), x), leaves, 4);
          expect(fusedOps).toContain('maxPool2dAct');
          expectBitIdentical(got.y, want.y, 'logits');
          got.grads.forEach((g, i) => expectClose(g, want.grads[i], i === 0 ? 'dx' : model.trainable()[i - 1].fullName));
          x.dispose();
          model.dispose();
        });
      }
  });
}

/** The ops recorded on the way to `y`. */
function collectOps(y: Tensor, out: string[]): void {
  const stack = [y];
  const seen = new Set<Tensor>();
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t) || !t.node) continue;
    seen.add(t);
    out.push(t.node.op);
    stack.push(...t.node.inputs);
  }
}
