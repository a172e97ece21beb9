/**
 * The accuracy anchor for short runs: trains a seed model on TensorFlow.js's Layers API, which
 * follows Keras's semantics (Glorot init, BatchNorm momentum 0.99, Adam eps 1e-7, last 10% held
 * out), on the same MNIST images wgnn's `train --limit N` uses, and prints the same figures.
 *
 *   npx tsx bench/keras-epoch.ts [--model cnn|mlp] [--limit 12000] [--epochs 1] [--batch-size 64]
 *                                [--dropout R] [--momentum M]
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadMnist } from '../src/data/mnist.ts';
import { registerFilterGradient, tfModel } from './training.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn' },
    limit: { type: 'string', default: '12000' },
    epochs: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '64' },
    dropout: { type: 'string' },
    momentum: { type: 'string' },
  },
});
const model = values.model as 'cnn' | 'mlp';
const limit = Number(values.limit);

const require = createRequire(import.meta.url);
setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
await tf.setBackend('wasm');
registerFilterGradient(tf);

const { train, test } = loadMnist();
const n = Math.min(limit, train.count);
const images = (set: typeof train, count: number) => tf.tensor4d(set.images.subarray(0, count * 784), [count, 28, 28, 1]);
const labels = (set: typeof train, count: number) => tf.oneHot(tf.tensor1d(Array.from(set.labels.subarray(0, count)), 'int32'), 10);

const optional = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const net = tfModel(tf, model, { dropout: optional(values.dropout), momentum: optional(values.momentum) });
net.compile({ optimizer: tf.train.adam(1e-3), loss: (y, p) => tf.losses.softmaxCrossEntropy(y, p), metrics: ['accuracy'] });
const started = performance.now();
await net.fit(images(train, n), labels(train, n), {
  epochs: Number(values.epochs),
  batchSize: Number(values['batch-size']),
  validationSplit: 0.1,
  shuffle: true,
  verbose: 0,
  callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: ${JSON.stringify(logs)}`) },
});
const seconds = (performance.now() - started) / 1000;
const [loss, accuracy] = net.evaluate(images(test, test.count), labels(test, test.count), { batchSize: 500 }) as tf.Scalar[];
console.log(`tfjs-wasm ${model}, ${n} images: test loss ${loss.dataSync()[0].toFixed(4)} - test accuracy ${accuracy.dataSync()[0].toFixed(4)} (${seconds.toFixed(0)} s training)`);
