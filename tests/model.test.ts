/** Layers, presets and the training loop on the reference backend. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { setBackend, scope } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';
import { preset } from '../src/layers/presets.ts';
import { Sequential } from '../src/layers/sequential.ts';
import { Dense } from '../src/layers/dense.ts';
import { Conv2D } from '../src/layers/conv2d.ts';
import { BatchNorm } from '../src/layers/batchnorm.ts';
import { Flatten, Pool2D } from '../src/layers/simple.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { fit } from '../src/train/fit.ts';
import { loadModel, saveModel } from '../src/io/run-dir.ts';
import { loadMnist, limit } from '../src/data/mnist.ts';
import { Rng } from '../src/kernels/random.ts';

const backend = new ReferenceBackend();
setBackend(backend);

describe('presets', () => {
  it.each([
    ['mlp', 101_770, 0],
    ['cnn', 1_200_074, 192],
    ['resnet', 2_053_642, 1_664],
  ])('%s has the Keras parameter counts', (name, trainable, nonTrainable) => {
    const model = preset(name).build(0);
    expect(model.countParams()).toEqual({ total: trainable + nonTrainable, trainable, nonTrainable });
    model.dispose();
  });

  it.each(['mlp', 'cnn'])('%s maps a batch of images to 10 logits', async (name) => {
    const model = preset(name).build(0);
    const x = Tensor.from(new Float32Array(3 * 784).map((_, i) => (i % 7) / 7), [3, 1, 28, 28]);
    const y = model.predictLogits(x);
    expect(y.shape).toEqual([3, 10]);
    expect((await y.read()).every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  it('rejects an input of the wrong shape, naming both shapes', () => {
    const model = preset('mlp').build(0);
    expect(() => model.predictLogits(Tensor.from(new Float32Array(2 * 100), [2, 1, 10, 10]))).toThrow(/\[2, 1, 10, 10\].*\[2, 1, 28, 28\]/);
  });
});

describe('layer golden values', () => {
  it('Dense computes x·Wᵀ + b with PyTorch layout', async () => {
    const model = new Sequential([new Dense(2)], [3]).build(0);
    model.loadStateDict({ 'dense.weight': { shape: [2, 3], data: [1, 2, 3, -1, 0, 1] }, 'dense.bias': { shape: [2], data: [0.5, -0.5] } });
    const y = model.predictLogits(Tensor.from([1, 1, 2], [1, 3]));
    expect(Array.from(await y.read())).toEqual([9.5, 0.5]);
  });

  it('Conv2D (valid, 2×2) and max pooling', async () => {
    const model = new Sequential([new Conv2D(1, 2), new Pool2D('max', 2)], [1, 3, 3]).build(0);
    model.loadStateDict({ 'conv2d.weight': { shape: [1, 1, 2, 2], data: [1, 0, 0, -1] }, 'conv2d.bias': { shape: [1], data: [0.25] } });
    // windows: x00−x11, x01−x12, x10−x21, x11−x22 over 1..9 → all −4, +0.25; max of 2×2 → −3.75
    const y = model.predictLogits(Tensor.from([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]));
    expect(y.shape).toEqual([1, 1, 1, 1]);
    expect((await y.read())[0]).toBeCloseTo(-3.75, 6);
  });

  it('BatchNorm in inference uses the running statistics (Keras ε = 1e-3)', async () => {
    const model = new Sequential([new BatchNorm()], [2]).build(0);
    model.loadStateDict({
      'batch_normalization.weight': { shape: [2], data: [2, 1] },
      'batch_normalization.bias': { shape: [2], data: [0, 1] },
      'batch_normalization.running_mean': { shape: [2], data: [1, -1] },
      'batch_normalization.running_var': { shape: [2], data: [3.999, 0.999] },
    });
    const y = await model.predictLogits(Tensor.from([3, 0], [1, 2])).read();
    expect(y[0]).toBeCloseTo(2 * (2 / 2), 5);
    expect(y[1]).toBeCloseTo(1 * 1 + 1, 5);
  });

  it('Flatten orders features channel, row, column', async () => {
    const model = new Sequential([new Flatten()], [2, 2, 2]).build(0);
    const y = model.predictLogits(Tensor.from([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2]));
    expect(Array.from(await y.read())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('memory', () => {
  it('a scope frees what it created and keeps what it returns', () => {
    const a = Tensor.from([1, 2], [2]);
    let inner: Tensor | null = null;
    const kept = scope(() => {
      inner = Tensor.from([3, 4], [2]);
      return Tensor.from([5, 6], [2]);
    });
    expect(inner!.disposed).toBe(true);
    expect(kept.disposed).toBe(false);
    expect(a.disposed).toBe(false);
  });
});

describe('training', () => {
  const mnist = loadMnist();

  it('the same seed gives the same run', async () => {
    const run = async () => {
      const model = preset('mlp').build(5);
      const h = await fit(model, new Optimizer('momentum'), limit(mnist.train, 300), { epochs: 1, batchSize: 50, seed: 9 });
      return h[0].loss;
    };
    expect(await run()).toBe(await run());
  });

  it('waits for the device once, after the first step, so that a GPU tunes its GEMM tiles before the rest of the run', async () => {
    const events: string[] = [];
    const sync = backend.sync.bind(backend);
    backend.sync = () => {
      events.push('sync');
      return sync();
    };
    try {
      const model = preset('mlp').build(2);
      const onBatchBegin = (step: number) => void events.push(`step ${step}`);
      await fit(model, new Optimizer('sgd'), limit(mnist.train, 200), { epochs: 2, batchSize: 50, seed: 1, callbacks: [{ onBatchBegin }] });
      // 4 steps an epoch; the epoch's end syncs as before.
      expect(events).toEqual(['step 0', 'sync', 'step 1', 'step 2', 'step 3', 'sync', 'step 4', 'step 5', 'step 6', 'step 7', 'sync']);
    } finally {
      backend.sync = sync;
    }
  });

  it('saves and loads a run directory: same predictions, PyTorch names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgnn-run-'));
    const model = preset('cnn').build(1);
    await saveModel(dir, model, { preset: 'cnn', training: {} }, []);
    const rng = new Rng(1);
    const pixels = new Float32Array(2 * 784).map(() => rng.next());
    expect(new Set(pixels).size).toBeGreaterThan(1000); // distinct pixels, so a layout mix-up changes the logits
    const x = Tensor.from(pixels, [2, 1, 28, 28]);
    const before = await model.predictLogits(x).read();
    const { model: loaded } = loadModel(dir);
    expect(Array.from(await loaded.predictLogits(x).read())).toEqual(Array.from(before));
    const header = readFileSync(join(dir, 'model.safetensors')).subarray(8, 2000).toString();
    expect(header).toContain('"conv2d.weight":{"dtype":"F32","shape":[32,1,3,3]');
    expect(header).toContain('"batch_normalization.running_var"');
    expect(header).toContain('"dense.weight":{"dtype":"F32","shape":[128,9216]');
  });

  it('a config that does not match the weights is refused, naming the tensor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wgnn-run-'));
    const model = preset('mlp').build(1);
    await saveModel(dir, model, { preset: 'mlp', training: {} }, []);
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    cfg.model.layers[1].units = 64;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
    expect(() => loadModel(dir)).toThrow(/dense\.weight.*\[128, 784\].*\[64, 784\]/);
  });
});
