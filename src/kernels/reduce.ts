/** Sums over axes: the backward of broadcasting, bias gradients, losses and penalties. */
import { record } from '../tensor/autograd.ts';
import { launch, sameShape, sizeOf, Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { broadcastStrides, describe, offsetOf } from './shape.ts';

export interface SumToParams {
  /** The input's shape. */
  shape: number[];
  /** Where each input element lands in the output: 0 along summed axes. */
  outStrides: number[];
  /** Scales the sum (1 for sum, 1/count for mean). */
  scale: number;
}

export const sumToKernel: Kernel<SumToParams> = {
  name: 'sumTo',
  cpu([x], [y], p) {
    y.fill(0);
    for (let i = 0; i < x.length; i++) y[offsetOf(i, p.shape, p.outStrides)] += x[i];
    for (let i = 0; i < y.length; i++) y[i] *= p.scale;
  },
};

function reduceTo(x: Tensor, shape: Shape, scale: number): Tensor {
  if (shape.length > x.shape.length) throw new Error(`cannot reduce ${describe(x.shape)} to ${describe(shape)}`);
  const padded = [...new Array<number>(x.shape.length - shape.length).fill(1), ...shape];
  padded.forEach((d, i) => {
    if (d !== 1 && d !== x.shape[i]) throw new Error(`cannot reduce ${describe(x.shape)} to ${describe(shape)}`);
  });
  const [y] = launch(sumToKernel, [x], [shape], { shape: [...x.shape], outStrides: broadcastStrides(padded, x.shape), scale });
  return record(y, 'sumTo', [x], (g) => [broadcastTo(g, x.shape, scale)]);
}

/** Sums `x` down to `shape` (which broadcasts to x's shape); the identity when shapes agree. */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  return sameShape(x.shape, shape) ? x : reduceTo(x, shape, 1);
}

export function sum(x: Tensor): Tensor {
  return reduceTo(x, [1], 1);
}

export function mean(x: Tensor): Tensor {
  return reduceTo(x, [1], 1 / x.size);
}

export interface BroadcastParams {
  shape: number[];
  strides: number[];
  scale: number;
}

export const broadcastKernel: Kernel<BroadcastParams> = {
  name: 'broadcast',
  cpu([x], [y], p) {
    for (let i = 0; i < y.length; i++) y[i] = p.scale * x[offsetOf(i, p.shape, p.strides)];
  },
};

/** Repeats `x` along its size-1 axes to `shape` (times `scale`). */
export function broadcastTo(x: Tensor, shape: Shape, scale = 1): Tensor {
  if (sameShape(x.shape, shape) && scale === 1) return x;
  if (sizeOf(shape) < x.size) throw new Error(`cannot broadcast ${describe(x.shape)} to ${describe(shape)}`);
  const [y] = launch(broadcastKernel, [x], [shape], { shape: [...shape], strides: broadcastStrides(x.shape, shape), scale });
  return record(y, 'broadcast', [x], (g) => [reduceTo(g, x.shape, scale)]);
}
