import type { Rng } from '../kernels/random.ts';
import { Tensor, type Shape } from '../tensor/tensor.ts';

/** Keras's default kernel initializer: U(−l, l) with l = √(6 / (fan_in + fan_out)). */
export function glorotUniform(shape: Shape, fanIn: number, fanOut: number, rng: Rng): Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (2 * rng.next() - 1) * limit;
  return Tensor.from(data, shape);
}

/**
 * How a kernel layer's weight and bias start: Keras's Glorot-uniform weights and zero bias, or
 * PyTorch's defaults for nn.Linear and nn.Conv2d (kaiming_uniform with a = √5: weights and bias
 * both U(−1/√fan_in, 1/√fan_in)).
 */
export const initializers = ['glorot', 'torch'] as const;
export type Initializer = (typeof initializers)[number];

export function uniform(shape: Shape, limit: number, rng: Rng): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (2 * rng.next() - 1) * limit;
  return Tensor.from(data, shape);
}

export function kernelAndBias(init: Initializer, shape: Shape, fanIn: number, fanOut: number, useBias: boolean, rng: Rng): { weight: Tensor; bias: Tensor | null } {
  if (init === 'torch') {
    const weight = uniform(shape, 1 / Math.sqrt(fanIn), rng);
    return { weight, bias: useBias ? uniform([shape[0]], 1 / Math.sqrt(fanIn), rng) : null };
  }
  return { weight: glorotUniform(shape, fanIn, fanOut, rng), bias: useBias ? filled([shape[0]], 0) : null };
}

export function filled(shape: Shape, value: number): Tensor {
  return Tensor.from(new Float32Array(shape.reduce((p, d) => p * d, 1)).fill(value), shape);
}
