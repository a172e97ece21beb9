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

export function filled(shape: Shape, value: number): Tensor {
  return Tensor.from(new Float32Array(shape.reduce((p, d) => p * d, 1)).fill(value), shape);
}
