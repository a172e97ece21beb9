/**
 * The model-level checks, run on every fast backend: logits, loss and every parameter's gradient
 * against the float64 reference, and a 200-step training run on WebGPU that must track WASM.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { selectBackend } from '../src/backends/select.ts';
import { openWebGpu } from './helpers.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { setBackend, scope } from '../src/tensor/context.ts';
import { backward } from '../src/tensor/autograd.ts';
import { Tensor } from '../src/tensor/tensor.ts';
import { crossEntropy } from '../src/kernels/softmax.ts';
import { Sequential } from '../src/layers/sequential.ts';
import { preset } from '../src/layers/presets.ts';
import { Conv2D } from '../src/layers/conv2d.ts';
import { BatchNorm } from '../src/layers/batchnorm.ts';
import { Dense } from '../src/layers/dense.ts';
import { ResidualBlock } from '../src/layers/residual.ts';
import { ActivationLayer, Dropout, Flatten, Pool2D } from '../src/layers/simple.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { fit } from '../src/train/fit.ts';
import { loadMnist, limit } from '../src/data/mnist.ts';
import { Rng } from '../src/kernels/random.ts';
import type { Examples } from '../src/train/dataset.ts';

// Without an adapter the webgpu half skips here and fails in CI (see openWebGpu).
const webgpu = await openWebGpu('webgpu backend tests');
const backends: Record<string, Backend> = {
  wasm: (await selectBackend('wasm')).backend,
  ...(webgpu ? { webgpu } : {}),
};
afterAll(() => Object.values(backends).forEach((b) => b.dispose()));

const models: Record<string, () => Sequential> = {
  mlp: () => preset('mlp', { inputShape: [1, 9, 9] }),
  'cnn (BN, dropout)': () => preset('cnn', { inputShape: [1, 11, 11] }),
  'residual, gelu, avg pool': () =>
    new Sequential(
      [new Conv2D(6, 3, 'same'), new BatchNorm(), new ActivationLayer('gelu'), new ResidualBlock(6), new Pool2D('avg', 2), new Dropout(0.3), new Flatten(), new Dense(7, 'tanh'), new BatchNorm(), new Dense(10)],
      [1, 9, 7],
    ),
};

/** Logits, loss and every gradient of one training-mode step, read back to the host. */
async function step(backend: Backend, make: () => Sequential, batch: number): Promise<Map<string, Float64Array>> {
  setBackend(backend);
  const model = make().build(17);
  const rng = new Rng(5);
  const pixels = model.inputShape.reduce((p, d) => p * d, 1);
  const x = new Float32Array(batch * pixels).map(() => rng.next());
  const y = new Float32Array(batch).map(() => rng.int(10));
  const out = new Map<string, Float64Array>();
  const tensors = scope(() => {
    const logits = model.forward(Tensor.from(x, [batch, ...model.inputShape]), { training: true, step: 3 });
    const loss = crossEntropy(logits, Tensor.from(y, [batch]));
    backward(loss);
    return { logits, loss, grads: model.trainable().map((p) => p.tensor.grad!) };
  });
  out.set('logits', Float64Array.from(await tensors.logits.read()));
  out.set('loss', Float64Array.from(await tensors.loss.read()));
  for (const [i, p] of model.trainable().entries()) out.set(`grad ${p.fullName}`, Float64Array.from(await tensors.grads[i].read()));
  model.dispose();
  return out;
}

describe.each(Object.keys(backends))('%s backend', (name) => {
  for (const [label, make] of Object.entries(models)) {
    it(`${label}: logits, loss and gradients match the float64 reference (≤ 1e-4)`, async () => {
      const want = await step(new ReferenceBackend('float64'), make, 5);
      const got = await step(backends[name], make, 5);
      for (const [key, w] of want) {
        const g = got.get(key)!;
        let worst = 0;
        for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i] - w[i]) / Math.max(1, Math.abs(w[i])));
        expect(worst, key).toBeLessThanOrEqual(1e-4);
      }
    });
  }
});

/** MNIST at 14×14 (2×2 means), so 200 steps on the software adapter stay within seconds. */
function downsample(data: Examples): Examples {
  const images = new Float32Array(data.count * 196);
  for (let n = 0; n < data.count; n++)
    for (let y = 0; y < 14; y++)
      for (let x = 0; x < 14; x++) {
        const at = (dy: number, dx: number) => data.images[n * 784 + (2 * y + dy) * 28 + 2 * x + dx];
        images[n * 196 + y * 14 + x] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
      }
  return { images, labels: data.labels, count: data.count };
}

describe.skipIf(!webgpu)('training parity', () => {
  it('200 steps of cnn (batch 16) on webgpu end within 2% of the wasm backend', async () => {
    const data = downsample(limit(loadMnist().train, 3200));
    const run = async (backend: Backend) => {
      setBackend(backend);
      const model = preset('cnn', { inputShape: [1, 14, 14] }).build(42);
      const losses: number[] = [];
      await fit(model, new Optimizer('adam'), data, {
        epochs: 1, batchSize: 16, seed: 42,
        callbacks: [{ onEpochEnd: (logs) => void losses.push(logs.loss) }],
      });
      model.dispose();
      return losses[0];
    };
    const cpu = await run(backends.wasm);
    const gpu = await run(backends.webgpu);
    expect(Math.abs(gpu - cpu) / cpu).toBeLessThan(0.02);
    expect(cpu).toBeLessThan(1.5); // it learned: chance is ln 10 ≈ 2.30
  }, 300_000);
});
