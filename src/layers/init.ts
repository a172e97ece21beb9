import type { Rng } from '../kernels/random.ts';
import { Tensor, type Shape } from '../tensor/tensor.ts';

/**
 * The most parameter values a model may have (400 MB of float32; resnet has 2 million). A config
 * asking for `units: 1e9` is refused by name before anything is allocated.
 */
export const MAX_PARAMETERS = 100_000_000;

/** A model would need more parameter values than it may have (its config is wrong or hostile). */
export class ParameterBudgetError extends Error {}

/** The values still allowed while a budget is set (inside withParameterBudget), and why. */
let budget: { left: number; reason: string } | null = null;

/**
 * Runs `fn` (a model's build) allowing at most `max` parameter values in all: loading a weights
 * file, the file's tensors say how many the model must have, so a config that asks for more
 * fails before the allocation instead of after it.
 */
export function withParameterBudget<T>(max: number, reason: string, fn: () => T): T {
  const saved = budget;
  budget = max < MAX_PARAMETERS ? { left: max, reason } : { left: MAX_PARAMETERS, reason: `the limit of ${MAX_PARAMETERS.toLocaleString('en-US')}` };
  try {
    return fn();
  } finally {
    budget = saved;
  }
}

/** Counts a parameter of `shape` against the budget, before its memory is allocated. */
function claim(shape: Shape): number {
  const n = shape.reduce((p, d) => p * d, 1);
  const left = budget?.left ?? MAX_PARAMETERS;
  if (!(n <= left)) {
    const reason = budget?.reason ?? `the limit of ${MAX_PARAMETERS.toLocaleString('en-US')}`;
    throw new ParameterBudgetError(`a parameter of shape [${shape.join(', ')}] (${n.toLocaleString('en-US')} values) exceeds ${reason}`);
  }
  if (budget) budget.left -= n;
  return n;
}

/** Keras's default kernel initializer: U(−l, l) with l = √(6 / (fan_in + fan_out)). */
export function glorotUniform(shape: Shape, fanIn: number, fanOut: number, rng: Rng): Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const n = claim(shape);
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
  return Tensor.from(new Float32Array(claim(shape)).fill(value), shape);
}
