/** The seed notebooks' models. */
import { BatchNorm } from './batchnorm.ts';
import { Conv2D } from './conv2d.ts';
import { Dense } from './dense.ts';
import type { Layer } from './layer.ts';
import { Recurrent } from './recurrent.ts';
import { ResidualBlock } from './residual.ts';
import { withL2 } from './registry.ts';
import { Sequential } from './sequential.ts';
import { ActivationLayer, Dropout, Flatten, Pool2D, Standardize } from './simple.ts';
import type { Activation } from '../kernels/elementwise.ts';
import type { OptimizerName } from '../optim/optimizer.ts';
import type { ScheduleName } from '../train/schedules.ts';
import { featureShape } from '../audio/features.ts';

export const presetNames = ['mlp', 'mlp3', 'cnn', 'cnn-tuned', 'resnet', 'fast', 'fast-shuffle', 'digits', 'lstm', 'gru', 'cifar-cnn', 'cifar-resnet'] as const;
/** The presets that read speech features [steps, features] (src/audio/features.ts) rather than images. */
export const speechPresets: readonly PresetName[] = ['lstm', 'gru'];
export type PresetName = (typeof presetNames)[number];
/** The presets for colour images: 3-channel input and 'same' padding, made for 32×32×3 (CIFAR-10). */
export const colourPresets: readonly PresetName[] = ['cifar-cnn', 'cifar-resnet'];

/** MNIST's input and class count: what an image preset is built for when no data set says otherwise. */
export const MNIST_INPUT = { shape: [1, 28, 28], classes: 10 } as const;
/** CIFAR-10's input: what the colour presets are built for when no data set says otherwise. */
export const CIFAR_INPUT = { shape: [3, 32, 32], classes: MNIST_INPUT.classes } as const;

export interface PresetOptions {
  /** replaces the hidden activation (ReLU by default) */
  activation?: Activation;
  /** replaces every dropout rate */
  dropout?: number;
  /** batch norm in the CNNs (on by default) */
  batchNorm?: boolean;
  /** λ of the kernels the preset regularizes itself (mlp3: its first Dense, 0.001); 0 removes it */
  l2?: number;
  /** [channels, height, width] of the input; MNIST's by default (CIFAR-10's for the colour presets) */
  inputShape?: number[];
  /** units of the last layer, one per class: the data set's class count (MNIST's by default) */
  classes?: number;
  /** a Standardize layer first, (x − mean) / std (on by default in `fast` and the colour presets) */
  standardize?: boolean;
  /** the data set's pixel mean and standard deviation for that layer (MNIST's by default) */
  normalization?: { mean: number; std: number };
}

/** MNIST's pixel mean and standard deviation over the training set, pixels in [0, 1]. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Conv → [BN] → act, twice, then pool, dropout and the dense head: the seed CNN's shape. */
function cnn(filters1: number, filters2: number, units: number, o: PresetOptions): Layer[] {
  const act = o.activation ?? 'relu';
  const bn = o.batchNorm ?? true;
  const block = (filters: number): Layer[] =>
    bn ? [new Conv2D(filters, 3), new BatchNorm(), new ActivationLayer(act)] : [new Conv2D(filters, 3, 'valid', 1, act)];
  return [
    ...block(filters1),
    ...block(filters2),
    new Pool2D('max', 2),
    new Dropout(o.dropout ?? 0.25),
    new Flatten(),
    new Dense(units, act),
    new Dropout(o.dropout ?? 0.5),
    new Dense(classesOf(o)),
  ];
}

const classesOf = (o: PresetOptions): number => o.classes ?? MNIST_INPUT.classes;

/**
 * The public one-epoch recipe's network, initialised as PyTorch initialises it: pooling comes
 * before the activation (the same result for max-pooling and ReLU, on a quarter of the values).
 */
function fast(o: PresetOptions): Layer[] {
  const act = o.activation ?? 'relu';
  return [
    new Conv2D(24, 5, 'valid', 1, null, true, 'torch'),
    new Pool2D('max', 2),
    new ActivationLayer(act),
    new Conv2D(32, 3, 'valid', 1, null, true, 'torch'),
    new Pool2D('max', 2),
    new ActivationLayer(act),
    new Flatten(),
    new Dense(256, act, true, 'torch'),
    new Dense(classesOf(o), null, true, 'torch'),
  ];
}

function speechHead(o: PresetOptions): Layer[] {
  return [...(o.dropout ? [new Dropout(o.dropout)] : []), new Dense(classesOf(o))];
}

/**
 * The shipped default model: the one-epoch recipe's small CNN (a 5×5 and a 3×3 convolution, each
 * pooled right away, so it costs a tenth of `cnn`) with batch norm, for training with --augment.
 */
function digits(o: PresetOptions): Layer[] {
  const act = o.activation ?? 'relu';
  const bn = o.batchNorm ?? true;
  const block = (filters: number, k: number): Layer[] =>
    bn ? [new Conv2D(filters, k), new BatchNorm(), new Pool2D('max', 2), new ActivationLayer(act)] : [new Conv2D(filters, k), new Pool2D('max', 2), new ActivationLayer(act)];
  return [...block(24, 5), ...block(32, 3), new Flatten(), new Dense(256, act), new Dropout(o.dropout ?? 0.25), new Dense(classesOf(o))];
}

function resnet(o: PresetOptions): Layer[] {
  const act = o.activation ?? 'relu';
  const stage = (filters: number): Layer[] => [
    new Conv2D(filters, 3, 'same'),
    new BatchNorm(),
    new ActivationLayer(act),
    new ResidualBlock(filters),
    new Pool2D('max', 2),
    new Dropout(o.dropout ?? 0.25),
  ];
  return [
    ...stage(64),
    ...stage(128),
    new Flatten(),
    new Dense(256),
    new BatchNorm(),
    new ActivationLayer(act),
    new Dropout(o.dropout ?? 0.5),
    new Dense(classesOf(o)),
  ];
}

/**
 * The seed CNN grown for 32×32×3 as the Keras CIFAR-10 example has it: two stages of two 3×3
 * 'same' convolutions (32, then 64 filters), each stage pooled and dropped out, then a dense head.
 */
function cifarCnn(o: PresetOptions): Layer[] {
  const act = o.activation ?? 'relu';
  const bn = o.batchNorm ?? true;
  const conv = (filters: number): Layer[] =>
    bn ? [new Conv2D(filters, 3, 'same'), new BatchNorm(), new ActivationLayer(act)] : [new Conv2D(filters, 3, 'same', 1, act)];
  const stage = (filters: number): Layer[] => [...conv(filters), ...conv(filters), new Pool2D('max', 2), new Dropout(o.dropout ?? 0.25)];
  return [...stage(32), ...stage(64), new Flatten(), new Dense(256, act), new Dropout(o.dropout ?? 0.5), new Dense(classesOf(o))];
}

/**
 * A small ResNet for 32×32×3: a 'same' stem, then three stages of one residual block each (32,
 * 64, 128 filters), halved by pooling between them, and a global average pool before the classes.
 */
function cifarResnet(o: PresetOptions, side: number): Layer[] {
  const act = o.activation ?? 'relu';
  const stage = (filters: number, pool: boolean): Layer[] => [
    new Conv2D(filters, 3, 'same'),
    new BatchNorm(),
    new ActivationLayer(act),
    new ResidualBlock(filters),
    ...(pool ? [new Pool2D('max', 2)] : []),
  ];
  // Two poolings leave a quarter of the side; averaging over all of it is the global pool.
  return [...stage(32, true), ...stage(64, true), ...stage(128, false), new Pool2D('avg', Math.floor(side / 4)), new Flatten(), new Dropout(o.dropout ?? 0.2), new Dense(classesOf(o))];
}

export interface PresetTraining {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  optimizer?: OptimizerName;
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  lrSchedule?: ScheduleName;
  /** false: every epoch reads the training set in file order */
  shuffle?: boolean;
}

/**
 * The public one-epoch recipe ("MNIST to 99% in 0.76 s", PyTorch), so that `wgnn train --model
 * fast` runs it as published; Adam's ε is PyTorch's default, as the recipe ran in PyTorch.
 */
export const oneEpochRecipe = {
  epochs: 1, batchSize: 256, validationSplit: 0, optimizer: 'adam', lr: 1e-2, beta1: 0.7, beta2: 0.9, eps: 1e-8, lrSchedule: 'one-cycle', shuffle: false,
} as const satisfies PresetTraining;

/** The training settings of a preset's notebook or recipe, used where the command line gives none. */
export const presetTraining: Partial<Record<PresetName, PresetTraining>> = {
  // Keras's own default batch size; the CNN notebooks use 64.
  mlp: { batchSize: 32 },
  mlp3: { epochs: 20, batchSize: 128, validationSplit: 0.3 },
  fast: oneEpochRecipe,
  // The same recipe with a seeded shuffle of the training set each epoch: the same work; `npm run bench` sets both side by side.
  'fast-shuffle': { ...oneEpochRecipe, shuffle: true },
};

/** The input a preset is built for when no data set gives one: speech features, CIFAR-10's or MNIST's images. */
export function defaultInputShape(name: string): number[] {
  if (speechPresets.includes(name as PresetName)) return [featureShape.steps, featureShape.features];
  return [...(colourPresets.includes(name as PresetName) ? CIFAR_INPUT : MNIST_INPUT).shape];
}

export function preset(name: string, o: PresetOptions = {}): Sequential {
  const inputShape = o.inputShape ?? defaultInputShape(name);
  const model = layersOf(name, o, inputShape);
  const standardize = o.standardize ?? (name === 'fast' || name === 'fast-shuffle' || colourPresets.includes(name as PresetName));
  const { mean, std } = o.normalization ?? { mean: MNIST_MEAN, std: MNIST_STD };
  return new Sequential(standardize ? [new Standardize(mean, std), ...model] : model, inputShape);
}

function layersOf(name: string, o: PresetOptions, inputShape: readonly number[]): Layer[] {
  switch (name as PresetName) {
    case 'mlp': {
      const layers: Layer[] = [new Flatten(), new Dense(128, o.activation ?? 'relu')];
      if (o.dropout) layers.push(new Dropout(o.dropout));
      return [...layers, new Dense(classesOf(o))];
    }
    case 'mlp3': {
      // Seed notebook 003: 784 → 256 → 128 → 10, L2 on the first layer only, dropout after each hidden layer when asked.
      const act = o.activation ?? 'relu';
      const l2 = o.l2 ?? 1e-3;
      const layers: Layer[] = [new Flatten(), withL2(new Dense(256, act), l2 > 0 ? l2 : null)];
      if (o.dropout) layers.push(new Dropout(o.dropout));
      layers.push(new Dense(128, act));
      if (o.dropout) layers.push(new Dropout(o.dropout));
      return [...layers, new Dense(classesOf(o))];
    }
    case 'cnn': return cnn(32, 64, 128, o);
    case 'cnn-tuned': return cnn(128, 192, 256, o);
    case 'resnet': return resnet(o);
    case 'fast':
    case 'fast-shuffle':
      return fast(o);
    // Spoken digits: MFCC frames → two recurrent layers → the class logits (softmax is in the loss).
    case 'lstm': return [new Recurrent('lstm', 64, true), new Recurrent('lstm', 64, false), ...speechHead(o)];
    case 'gru': return [new Recurrent('gru', 64, true), new Recurrent('gru', 64, false), ...speechHead(o)];
    case 'digits': return digits(o);
    case 'cifar-cnn': return cifarCnn(o);
    case 'cifar-resnet': return cifarResnet(o, Math.min(inputShape[1], inputShape[2]));
    default:
      throw new Error(`unknown model "${name}": expected one of ${presetNames.join(', ')}`);
  }
}
