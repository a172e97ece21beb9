/** The seed notebooks' models. */
import { BatchNorm } from './batchnorm.ts';
import { Conv2D } from './conv2d.ts';
import { Dense } from './dense.ts';
import type { Layer } from './layer.ts';
import { ResidualBlock } from './residual.ts';
import { withL2 } from './registry.ts';
import { Sequential } from './sequential.ts';
import { ActivationLayer, Dropout, Flatten, Pool2D } from './simple.ts';
import type { Activation } from '../kernels/elementwise.ts';

export const presetNames = ['mlp', 'mlp3', 'cnn', 'cnn-tuned', 'resnet'] as const;
export type PresetName = (typeof presetNames)[number];

export interface PresetOptions {
  /** replaces the hidden activation (ReLU by default) */
  activation?: Activation;
  /** replaces every dropout rate */
  dropout?: number;
  /** batch norm in the CNNs (on by default) */
  batchNorm?: boolean;
  /** λ of the kernels the preset regularizes itself (mlp3: its first Dense, 0.001); 0 removes it */
  l2?: number;
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

/** The training settings of a preset's notebook, used where the command line gives none. */
export const presetTraining: Partial<Record<PresetName, { epochs?: number; batchSize?: number; validationSplit?: number }>> = {
  // Keras's own default batch size; the CNN notebooks use 64.
  mlp: { batchSize: 32 },
  mlp3: { epochs: 20, batchSize: 128, validationSplit: 0.3 },
};

export function preset(name: string, o: PresetOptions = {}): Sequential {
  switch (name as PresetName) {
    case 'mlp': {
      const layers: Layer[] = [new Flatten(), new Dense(128, o.activation ?? 'relu')];
      if (o.dropout) layers.push(new Dropout(o.dropout));
      return new Sequential([...layers, new Dense(10)], o.inputShape);
    }
    case 'mlp3': {
      // Seed notebook 003: 784 → 256 → 128 → 10, L2 on the first layer only, dropout after each hidden layer when asked.
      const act = o.activation ?? 'relu';
      const l2 = o.l2 ?? 1e-3;
      const layers: Layer[] = [new Flatten(), withL2(new Dense(256, act), l2 > 0 ? l2 : null)];
      if (o.dropout) layers.push(new Dropout(o.dropout));
      layers.push(new Dense(128, act));
      if (o.dropout) layers.push(new Dropout(o.dropout));
      return new Sequential([...layers, new Dense(10)], o.inputShape);
    }
    case 'cnn': return new Sequential(cnn(32, 64, 128, o), o.inputShape);
    case 'cnn-tuned': return new Sequential(cnn(128, 192, 256, o), o.inputShape);
    case 'resnet': return new Sequential(resnet(o), o.inputShape);
    default:
      throw new Error(`unknown model "${name}": expected one of ${presetNames.join(', ')}`);
  }
}
