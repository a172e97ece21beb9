/** Rebuilds layers from the JSON they save, and checks that JSON field by field. */
import { activations, type Activation } from '../kernels/elementwise.ts';
import { BatchNorm } from './batchnorm.ts';
import { Conv2D } from './conv2d.ts';
import { Dense } from './dense.ts';
import { initializers } from './init.ts';
import type { Layer, LayerConfig } from './layer.ts';
import { Recurrent, recurrentTypes } from './recurrent.ts';
import { ResidualBlock } from './residual.ts';
import { ActivationLayer, Dropout, Flatten, Pool2D, Standardize } from './simple.ts';

class ConfigReader {
  constructor(readonly cfg: Record<string, unknown>, readonly where: string) {}
  number(field: string, fallback?: number): number {
    const v = this.cfg[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${this.where}: field "${field}" must be a number, got ${JSON.stringify(v)}`);
    return v;
  }
  int(field: string, fallback?: number): number {
    const v = this.number(field, fallback);
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${this.where}: field "${field}" must be a positive integer, got ${v}`);
    return v;
  }
  bool(field: string, fallback: boolean): boolean {
    const v = this.cfg[field] ?? fallback;
    if (typeof v !== 'boolean') throw new Error(`${this.where}: field "${field}" must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }
  activation(field: string): Activation | null {
    const v = this.cfg[field] ?? null;
    if (v === null) return null;
    if (!activations.includes(v as Activation)) throw new Error(`${this.where}: field "${field}" must be one of ${activations.join(', ')} or null, got ${JSON.stringify(v)}`);
    return v as Activation;
  }
  /** an optional number ≥ 0; null when absent */
  optionalNonNegative(field: string): number | null {
    const v = this.cfg[field] ?? null;
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${this.where}: field "${field}" must be a number >= 0, got ${JSON.stringify(v)}`);
    return v;
  }
  oneOf<T extends string>(field: string, options: readonly T[], fallback: T): T {
    const v = this.cfg[field] ?? fallback;
    if (!options.includes(v as T)) throw new Error(`${this.where}: field "${field}" must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }
}

/** Gives a Dense or Conv2D layer its own L2 λ (null: none of its own). */
export function withL2<L extends Dense | Conv2D>(layer: L, l2: number | null): L {
  layer.l2 = l2;
  return layer;
}

export function layerFromConfig(cfg: unknown, where: string): Layer {
  if (!cfg || typeof cfg !== 'object') throw new Error(`${where}: expected a layer object, got ${JSON.stringify(cfg)}`);
  const r = new ConfigReader(cfg as Record<string, unknown>, where);
  const type = (cfg as Record<string, unknown>).type;
  switch (type) {
    case 'dense': return withL2(new Dense(r.int('units'), r.activation('activation'), r.bool('useBias', true), r.oneOf('init', initializers, 'glorot')), r.optionalNonNegative('l2'));
    case 'conv2d':
      return withL2(
        new Conv2D(r.int('filters'), r.int('kernelSize', 3), r.oneOf<'valid' | 'same'>('padding', ['valid', 'same'], 'valid'), r.int('stride', 1), r.activation('activation'), r.bool('useBias', true), r.oneOf('init', initializers, 'glorot')),
        r.optionalNonNegative('l2'),
      );
    case 'batchnorm': return new BatchNorm(r.number('momentum', 0.99), r.number('eps', 1e-3));
    case 'flatten': return new Flatten();
    case 'activation': {
      const act = r.activation('activation');
      if (!act) throw new Error(`${where}: an activation layer needs "activation"`);
      return new ActivationLayer(act);
    }
    case 'maxpool2d': return new Pool2D('max', r.int('size', 2));
    case 'avgpool2d': return new Pool2D('avg', r.int('size', 2));
    case 'dropout': {
      const rate = r.number('rate');
      if (rate < 0 || rate >= 1) throw new Error(`${where}: field "rate" must be in [0, 1), got ${rate}`);
      return new Dropout(rate);
    }
    case 'residual': return new ResidualBlock(r.int('filters'));
    case 'standardize': {
      const std = r.number('std');
      if (std <= 0) throw new Error(`${where}: field "std" must be positive, got ${std}`);
      return new Standardize(r.number('mean'), std);
    }
    case 'simplernn': case 'gru': case 'lstm': return new Recurrent(recurrentTypes[type], r.int('units'), r.bool('returnSequences', false));
    default:
      throw new Error(`${where}: unknown layer type ${JSON.stringify(type)} (expected dense, conv2d, batchnorm, flatten, activation, maxpool2d, avgpool2d, dropout, residual, standardize, simplernn, gru or lstm)`);
  }
}

export type { LayerConfig };
