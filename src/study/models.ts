/**
 * The models the studies and the tuner train, described as small JSON-able specs so that a
 * worker process can rebuild them, and the model files `wgnn train --config` reads.
 */
import { readFileSync } from 'node:fs';
import { checkSettings } from '../io/settings.ts';
import type { Activation } from '../kernels/elementwise.ts';
import { BatchNorm } from '../layers/batchnorm.ts';
import { Conv2D } from '../layers/conv2d.ts';
import { Dense } from '../layers/dense.ts';
import type { Layer } from '../layers/layer.ts';
import { MNIST_INPUT, preset, type PresetName } from '../layers/presets.ts';
import { Sequential, type ModelConfig } from '../layers/sequential.ts';
import { ActivationLayer, Dropout, Flatten, Pool2D } from '../layers/simple.ts';
import type { OptimizerName } from '../optim/optimizer.ts';

/** What a worker needs to rebuild a model: a preset or a model file's layers, with overrides, or the tuner's CNN. */
export type ModelSpec =
  | { kind: PresetName; activation?: Activation; dropout?: number; l2?: number }
  | { kind: 'config'; config: ModelConfig; source: string; activation?: Activation; dropout?: number }
  | ({ kind: 'cnn-search'; activation?: Activation } & CnnShape);

export interface CnnShape {
  /** cnn: the seed CNN's shape (the default); digits: the `digits` preset's, a tenth of the work */
  arch?: 'cnn' | 'digits';
  filters1: number;
  filters2: number;
  units: number;
  dropout: number;
}

/** A model file's layers with every dropout rate and hidden activation replaced, when given. */
function overridden(config: ModelConfig, o: { activation?: Activation; dropout?: number }, source: string): ModelConfig {
  if (o.dropout !== undefined && !config.layers.some((l) => l.type === 'dropout')) {
    throw new Error(`${source}: the model has no dropout layer whose rate a study could vary`);
  }
  const layers = config.layers.map((l) => {
    if (o.dropout !== undefined && l.type === 'dropout') return { ...l, rate: o.dropout };
    // Only hidden activations: the output layer has none (logits).
    if (o.activation && typeof l.activation === 'string') return { ...l, activation: o.activation };
    return l;
  });
  return { ...config, layers };
}

/**
 * The tuner's search model: the seed CNN's shape (conv → BN → ReLU twice, pool, dropout, dense,
 * dropout) with the two filter counts, the dense width and the dropout rate free, as in the seeds'
 * Keras Tuner model.
 */
export function buildCnn(s: CnnShape & { activation?: Activation }): Sequential {
  const act = s.activation ?? 'relu';
  if (s.arch === 'digits') {
    // The `digits` preset's shape: a 5×5 and a 3×3 convolution, each pooled at once, then the dense head.
    const pooled = (filters: number, k: number): Layer[] => [new Conv2D(filters, k), new BatchNorm(), new Pool2D('max', 2), new ActivationLayer(act)];
    return new Sequential([...pooled(s.filters1, 5), ...pooled(s.filters2, 3), new Flatten(), new Dense(s.units, act), new Dropout(s.dropout), new Dense(MNIST_INPUT.classes)], [...MNIST_INPUT.shape]);
  }
  const block = (filters: number): Layer[] => [new Conv2D(filters, 3), new BatchNorm(), new ActivationLayer(act)];
  return new Sequential([
    ...block(s.filters1),
    ...block(s.filters2),
    new Pool2D('max', 2),
    new Dropout(s.dropout),
    new Flatten(),
    new Dense(s.units, act),
    new Dropout(s.dropout),
    new Dense(MNIST_INPUT.classes),
  ], [...MNIST_INPUT.shape]);
}

export function buildModel(spec: ModelSpec): Sequential {
  switch (spec.kind) {
    case 'cnn-search': return buildCnn(spec);
    case 'config': return Sequential.fromConfig(overridden(spec.config, spec, spec.source), spec.source);
    default: return preset(spec.kind, { activation: spec.activation, dropout: spec.dropout, l2: spec.l2 });
  }
}

/** A model file: what the tuner writes as its best preset and `wgnn train --config` reads. */
export interface ModelFile {
  format: 'wgnn-model';
  /** where it came from, e.g. the tuner's trial */
  source?: string;
  model: ModelConfig;
  /** training settings the file suggests; the command line's explicit options win */
  training?: { optimizer?: OptimizerName; lr?: number; beta1?: number; beta2?: number; eps?: number; batchSize?: number; epochs?: number };
}

export const MODEL_FILE_FORMAT = 'wgnn-model';

/** Reads and checks a model file field by field; the model is validated by building its layers. */
export function readModelFile(path: string): { model: Sequential; file: ModelFile } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the model file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${path}: expected a JSON object with "format" and "model"`);
  const f = raw as Record<string, unknown>;
  if (f.format !== MODEL_FILE_FORMAT) throw new Error(`${path}: field "format" must be "${MODEL_FILE_FORMAT}", got ${JSON.stringify(f.format)}`);
  if (f.model === undefined) throw new Error(`${path}: field "model" is missing (an object with "inputShape" and "layers")`);
  const model = Sequential.fromConfig(f.model, `${path}: model`);
  const t = f.training;
  if (t !== undefined) {
    // The same validator as the command line's and a run's config.json (src/io/settings.ts).
    checkSettings(t, `${path}: training`, ['optimizer', 'lr', 'beta1', 'beta2', 'eps', 'batchSize', 'epochs']);
  }
  return { model, file: f as unknown as ModelFile };
}
