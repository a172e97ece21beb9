/** The seed notebooks' models. */
import { BatchNorm } from './batchnorm.ts';
import { Conv2D } from './conv2d.ts';
import { Dense } from './dense.ts';
import type { Layer } from './layer.ts';
import { ResidualBlock } from './residual.ts';
import { Sequential } from './sequential.ts';
import { ActivationLayer, Dropout, Flatten, Pool2D } from './simple.ts';
import type { Activation } from '../kernels/elementwise.ts';

export const presetNames = ['mlp', 'cnn', 'cnn-tuned', 'resnet', 'digits'] as const;
export type PresetName = (typeof presetNames)[number];

export interface PresetOptions {
  /** replaces the hidden activation (ReLU by default) */
  activation?: Activation;
  /** replaces every dropout rate */
  dropout?: number;
  /** batch norm in the CNNs (on by default) */
  batchNorm?: boolean;
  /** [channels, height, width] of the input; MNIST's [1, 28, 28] by default */
  inputShape?: number[];
}

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
    new Dense(10),
  ];
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
  return [...block(24, 5), ...block(32, 3), new Flatten(), new Dense(256, act), new Dropout(o.dropout ?? 0.25), new Dense(10)];
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
    new Dense(10),
  ];
}

export function preset(name: string, o: PresetOptions = {}): Sequential {
  switch (name as PresetName) {
    case 'mlp': {
      const layers: Layer[] = [new Flatten(), new Dense(128, o.activation ?? 'relu')];
      if (o.dropout) layers.push(new Dropout(o.dropout));
      return new Sequential([...layers, new Dense(10)], o.inputShape);
    }
    case 'cnn': return new Sequential(cnn(32, 64, 128, o), o.inputShape);
    case 'cnn-tuned': return new Sequential(cnn(128, 192, 256, o), o.inputShape);
    case 'resnet': return new Sequential(resnet(o), o.inputShape);
    case 'digits': return new Sequential(digits(o), o.inputShape);
    default:
      throw new Error(`unknown model "${name}": expected one of ${presetNames.join(', ')}`);
  }
}
