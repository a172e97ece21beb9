/**
 * Training throughput: one Adam step on a batch of 64 MNIST images for the seed models, and on a
 * CIFAR-shaped batch (64 × 3×32×32, seeded random pixels: the speed does not depend on them) for
 * cifar-cnn, on wgnn and on TensorFlow.js and PyTorch with the same layers. Reported as images per
 * second. And the `lstm` preset's step on a batch of spoken-digit feature sequences, beside
 * PyTorch's nn.LSTM, in sequences per second.
 */
import type * as TF from '@tensorflow/tfjs';
import { loadMnist } from '../src/data/mnist.ts';
import { CIFAR_INPUT, preset } from '../src/layers/presets.ts';
import { Rng } from '../src/kernels/random.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { crossEntropy } from '../src/kernels/softmax.ts';
import { backward } from '../src/tensor/autograd.ts';
import { scope, setBackend } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { featureShape } from '../src/audio/features.ts';
import type { Prepared, Workload } from './workloads.ts';

type Model = 'mlp' | 'cnn' | 'resnet' | 'fast' | 'cifar-cnn';
/** Each model's batch: Keras's default 32 for the MLP (as `wgnn train`), the seed notebooks' 64, the fast recipe's 256. */
const BATCH: Record<Model, number> = { mlp: 32, cnn: 64, resnet: 64, fast: 256, 'cifar-cnn': 64 };
const MNIST_SHAPE = [1, 28, 28];
/** [channels, height, width] of each model's input. */
const shapeOf = (name: Model): number[] => (name === 'cifar-cnn' ? [...CIFAR_INPUT.shape] : MNIST_SHAPE);

let train: { images: Float32Array; labels: Uint8Array } | null = null;
/** The first n training images and labels. */
function batch(n: number, shape: number[] = MNIST_SHAPE): { x: Float32Array; y: Uint8Array } {
  const per = shape.reduce((p, d) => p * d, 1);
  if (shape.join() !== MNIST_SHAPE.join()) {
    const rng = new Rng(1);
    return { x: Float32Array.from({ length: n * per }, () => rng.next()), y: Uint8Array.from({ length: n }, (_, i) => i % CIFAR_INPUT.classes) };
  }
  train ??= loadMnist().train;
  return { x: train.images.slice(0, n * per), y: train.labels.slice(0, n) };
}

function wgnnStep(backend: Backend, name: Model): Prepared {
  setBackend(backend);
  const model = preset(name).build(0);
  const optimizer = new Optimizer('adam');
  const n = BATCH[name];
  const shape = shapeOf(name);
  const { x, y } = batch(n, shape);
  let step = 0;
  return {
    run: () => {
      setBackend(backend);
      scope(() => {
        const logits = model.forward(Tensor.from(x, [n, ...shape]), { training: true, step: step++ });
        backward(crossEntropy(logits, Tensor.from(y, [n])));
        optimizer.step(model.trainable());
      });
    },
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/**
 * TF.js's wasm backend lacks Conv2DBackpropFilter, so it cannot train a conv net as shipped. This
 * registers it from its own kernels (NHWC): dW = T(Conv2D(T(x, [3,1,2,0]), T(dy, [1,2,0,3])), [1,2,0,3]),
 * so that XNNPACK's forward convolution does the reduction over the batch.
 */
export function registerFilterGradient(tf: typeof TF): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as { x: TF.Tensor4D; dy: TF.Tensor4D };
      const { pad, filterShape } = attrs as unknown as { pad: 'valid' | 'same'; filterShape: [number, number, number, number] };
      const [kh, kw] = filterShape;
      const dw: TF.Tensor = tf.tidy(() => {
        let xt = tf.transpose(x, [3, 1, 2, 0]);
        if (pad === 'same') {
          const ph = kh - 1;
          const pw = kw - 1;
          xt = tf.pad(xt, [[0, 0], [ph >> 1, ph - (ph >> 1)], [pw >> 1, pw - (pw >> 1)], [0, 0]]);
        }
        const filter = tf.transpose(dy, [1, 2, 0, 3]);
        return tf.transpose(tf.conv2d(xt as TF.Tensor4D, filter as TF.Tensor4D, 1, 'valid'), [1, 2, 0, 3]);
      });
      return dw as unknown as TF.TensorInfo;
    },
  });
}

/** Keras's layers for the seed models; `dropout` and `momentum` (BatchNorm) override the cnn's. */
export function tfModel(tf: typeof TF, name: Model, o: { dropout?: number; momentum?: number } = {}): TF.LayersModel {
  const L = tf.layers;
  if (name === 'mlp') {
    return tf.sequential({ layers: [L.flatten({ inputShape: [28, 28, 1] }), L.dense({ units: 128, activation: 'relu' }), L.dense({ units: 10 })] });
  }
  if (name === 'cnn') {
    return tf.sequential({
      layers: [
        L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3 }), L.batchNormalization({ momentum: o.momentum }), L.activation({ activation: 'relu' }),
        L.conv2d({ filters: 64, kernelSize: 3 }), L.batchNormalization({ momentum: o.momentum }), L.activation({ activation: 'relu' }),
        L.maxPooling2d({ poolSize: 2 }), L.dropout({ rate: o.dropout ?? 0.25 }), L.flatten(),
        L.dense({ units: 128, activation: 'relu' }), L.dropout({ rate: o.dropout ?? 0.5 }), L.dense({ units: 10 }),
      ],
    });
  }
  if (name === 'cifar-cnn') {
    const conv = (filters: number, first = false) => [
      L.conv2d({ ...(first ? { inputShape: [32, 32, 3] } : {}), filters, kernelSize: 3, padding: 'same' }), L.batchNormalization({ momentum: o.momentum }), L.activation({ activation: 'relu' }),
    ];
    return tf.sequential({
      layers: [
        ...conv(32, true), ...conv(32), L.maxPooling2d({ poolSize: 2 }), L.dropout({ rate: 0.25 }),
        ...conv(64), ...conv(64), L.maxPooling2d({ poolSize: 2 }), L.dropout({ rate: 0.25 }),
        L.flatten(), L.dense({ units: 256, activation: 'relu' }), L.dropout({ rate: 0.5 }), L.dense({ units: 10 }),
      ],
    });
  }
  const input = tf.input({ shape: [28, 28, 1] });
  const convBn = (t: TF.SymbolicTensor, filters: number, relu: boolean) => {
    const y = L.batchNormalization().apply(L.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(t)) as TF.SymbolicTensor;
    return relu ? (L.activation({ activation: 'relu' }).apply(y) as TF.SymbolicTensor) : y;
  };
  const stage = (t: TF.SymbolicTensor, filters: number) => {
    const h = convBn(t, filters, true);
    const r = convBn(convBn(h, filters, true), filters, false);
    const out = L.activation({ activation: 'relu' }).apply(L.add().apply([h, r])) as TF.SymbolicTensor;
    return L.dropout({ rate: 0.25 }).apply(L.maxPooling2d({ poolSize: 2 }).apply(out)) as TF.SymbolicTensor;
  };
  let h = stage(stage(input, 64), 128);
  h = L.flatten().apply(h) as TF.SymbolicTensor;
  h = L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(L.dense({ units: 256 }).apply(h))) as TF.SymbolicTensor;
  const out = L.dense({ units: 10 }).apply(L.dropout({ rate: 0.5 }).apply(h)) as TF.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function tfStep(tf: typeof TF, backend: 'cpu' | 'wasm', name: Exclude<Model, 'fast'>): Prepared {
  if (backend === 'wasm') registerFilterGradient(tf);
  const model = tfModel(tf, name);
  const optimizer = tf.train.adam(1e-3);
  const [c, h, w] = shapeOf(name);
  const { x, y } = batch(BATCH[name], [c, h, w]);
  // Keras's layout is channels-last: the planes are interleaved per pixel.
  const nhwc = c === 1 ? x : tf.tidy(() => tf.transpose(tf.tensor4d(x, [BATCH[name], c, h, w]), [0, 2, 3, 1]).dataSync() as Float32Array);
  const xs = tf.tensor4d(nhwc, [BATCH[name], h, w, c]);
  const ys = tf.oneHot(tf.tensor1d(Array.from(y), 'int32'), 10);
  return {
    run: () => {
      const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as TF.Tensor) as TF.Scalar, true);
      cost?.dataSync();
      cost?.dispose();
    },
    dispose: () => {
      tf.dispose([xs, ys]);
      model.dispose();
      optimizer.dispose();
    },
  };
}

const imageWorkloads: Workload[] = (['mlp', 'cnn', 'resnet', 'fast', 'cifar-cnn'] as const).map((name) => ({
  key: `train-${name}`,
  label: `train ${name}, batch ${BATCH[name]}${name === 'cifar-cnn' ? ' of 3×32×32' : ''} (Adam step)`,
  unit: 'images/s' as const,
  amount: BATCH[name],
  quick: name !== 'resnet',
  heavy: name !== 'mlp',
  note: name === 'cnn' ? 'tfjs-wasm trains the conv nets only with a Conv2DBackpropFilter kernel registered by the bench (it ships without one).' : undefined,
  wgnn: (backend: Backend) => wgnnStep(backend, name),
  tfjs: name === 'fast' ? undefined : (tf: typeof TF, backend: 'cpu' | 'wasm') => tfStep(tf, backend, name),
  torch: name === 'resnet' ? undefined : { kind: 'train', args: { model: name, batch: BATCH[name], shape: shapeOf(name).join('x') } },
}));

/** `wgnn train --model lstm`'s default batch. */
const LSTM_BATCH = 64;

/** The lstm preset's Adam step on a batch of random feature sequences [batch, steps, features]. */
function lstmStep(backend: Backend): Prepared {
  setBackend(backend);
  const model = preset('lstm').build(0);
  const optimizer = new Optimizer('adam');
  const { steps, features } = featureShape;
  const x = Float32Array.from({ length: LSTM_BATCH * steps * features }, (_, i) => Math.sin(i * 0.37));
  const y = Uint8Array.from({ length: LSTM_BATCH }, (_, i) => i % 10);
  let step = 0;
  return {
    run: () => {
      setBackend(backend);
      scope(() => {
        const logits = model.forward(Tensor.from(x, [LSTM_BATCH, steps, features]), { training: true, step: step++ });
        backward(crossEntropy(logits, Tensor.from(y, [LSTM_BATCH])));
        optimizer.step(model.trainable());
      });
    },
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

const lstmWorkload: Workload = {
  key: 'train-lstm',
  label: `train lstm, batch ${LSTM_BATCH} × ${featureShape.steps} steps (Adam step)`,
  unit: 'sequences/s',
  amount: LSTM_BATCH,
  quick: true,
  heavy: true,
  note: 'train lstm: LSTM(64, sequences) → LSTM(64) → Dense(10) on [64, 32, 13] spoken-digit features; torch: nn.LSTM ×2 and nn.Linear, the same shapes.',
  wgnn: lstmStep,
  torch: { kind: 'train', args: { model: 'lstm', batch: LSTM_BATCH, steps: featureShape.steps, features: featureShape.features } },
};

export const trainingWorkloads: Workload[] = [...imageWorkloads, lstmWorkload];
