/** Sums over axes: the backward of broadcasting, bias gradients, losses and penalties. */
import { record } from '../tensor/autograd.ts';
import { launch, sameShape, sizeOf, Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { broadcastStrides, describe, offsetOf } from './shape.ts';
import { block, shaderFamily } from './spec.ts';
import { ceilDiv } from './gpu.ts';

const sumUniforms = block('sum', {
  keptShape: 'u32x8', keptIn: 'u32x8', keptOut: 'u32x8', redShape: 'u32x8', redIn: 'u32x8',
  nKept: 'u32', nRed: 'u32', outputs: 'u32', count: 'u32', scale: 'f32',
});
/** shaders/reduce.wgsl. */
export const reduceShader = shaderFamily('reduce', {
  sum_thread: { uniforms: sumUniforms, inputs: ['x'], outputs: ['y'] },
  sum_group: { uniforms: sumUniforms, inputs: ['x'], outputs: ['y'] },
  broadcast: { uniforms: block('spread', { shape: 'u32x8', strides: 'u32x8', n: 'u32', rank: 'u32', scale: 'f32' }), inputs: ['x'], outputs: ['y'] },
});

export interface SumToParams {
  /** The input's shape. */
  shape: number[];
  /** Where each input element lands in the output: 0 along summed axes. */
  outStrides: number[];
  /** Scales the sum (1 for sum, 1/count for mean). */
  scale: number;
}

interface Axis {
  size: number;
  inStride: number;
  outStride: number;
}

/**
 * The kept and the summed axes of a sumTo, size-1 axes dropped and neighbours that are contiguous
 * in both the input and the output merged: the WGSL walks at most a few axes per element.
 */
function sumPlan(shape: readonly number[], outStrides: readonly number[]): { kept: Axis[]; red: Axis[] } {
  const inStrides = broadcastStrides(shape, shape);
  const kept: Axis[] = [];
  const red: Axis[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const list = outStrides[d] === 0 ? red : kept;
    const axis = { size, inStride: inStrides[d], outStride: outStrides[d] };
    const last = list[list.length - 1];
    if (last && last.inStride === size * axis.inStride && last.outStride === size * axis.outStride) {
      last.size *= size;
      last.inStride = axis.inStride;
      last.outStride = axis.outStride;
    } else list.push(axis);
  });
  return { kept, red };
}

export const sumToKernel: Kernel<SumToParams> = {
  name: 'sumTo',
  cpu([x], [y], p) {
    y.fill(0);
    for (let i = 0; i < x.length; i++) y[offsetOf(i, p.shape, p.outStrides)] += x[i];
    for (let i = 0; i < y.length; i++) y[i] *= p.scale;
  },
  gpu(ctx, [x], [y], p) {
    const plan = sumPlan(p.shape, p.outStrides);
    const count = plan.red.reduce((n, a) => n * a.size, 1);
    // Long reductions get a workgroup each; short ones a thread each.
    const group = count > 64;
    ctx.dispatch(reduceShader.dispatch(group ? 'sum_group' : 'sum_thread', {
      inputs: { x }, outputs: { y },
      uniforms: {
        keptShape: plan.kept.map((a) => a.size), keptIn: plan.kept.map((a) => a.inStride), keptOut: plan.kept.map((a) => a.outStride),
        redShape: plan.red.map((a) => a.size), redIn: plan.red.map((a) => a.inStride),
        nKept: plan.kept.length, nRed: plan.red.length, outputs: y.length, count, scale: p.scale,
      },
      workgroups: group ? y.length : ceilDiv(y.length, 256),
    }));
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
  gpu(ctx, [x], [y], p) {
    ctx.dispatch(reduceShader.dispatch('broadcast', {
      inputs: { x }, outputs: { y }, uniforms: { shape: p.shape, strides: p.strides, n: y.length, rank: p.shape.length, scale: p.scale },
      workgroups: ceilDiv(y.length, 256),
    }));
  },
};

/** Repeats `x` along its size-1 axes to `shape` (times `scale`). */
export function broadcastTo(x: Tensor, shape: Shape, scale = 1): Tensor {
  if (sameShape(x.shape, shape) && scale === 1) return x;
  if (sizeOf(shape) < x.size) throw new Error(`cannot broadcast ${describe(x.shape)} to ${describe(shape)}`);
  const [y] = launch(broadcastKernel, [x], [shape], { shape: [...shape], strides: broadcastStrides(x.shape, shape), scale });
  return record(y, 'broadcast', [x], (g) => [reduceTo(g, x.shape, scale)]);
}
