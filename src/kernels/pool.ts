/** Max and average pooling over square windows, NCHW, 'valid' padding (Keras's default). */
import { activationCode, derivativeFromOutput, type FusedActivation } from './activation.ts';
import { unarySpecs } from './elementwise.ts';
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { describe } from './shape.ts';
import { block, shaderFamily, type Values } from './spec.ts';
import { ceilDiv, type GpuContext, type GpuStorage } from './gpu.ts';

export const poolFields = {
  /** n·c planes of h×w */
  planes: 'u32', h: 'u32', w: 'u32', size: 'u32', stride: 'u32', oh: 'u32', ow: 'u32',
} as const;
export type PoolParams = Values<typeof poolFields>;

/** −∞, from the host: WGSL has no constant for it. */
const pool = block('pool', { ...poolFields, lowest: 'f32' });
/** shaders/pool.wgsl: one thread per element of the output (forward) or of the input map (backward). */
export const poolShader = shaderFamily('pool', {
  avg_pool: { uniforms: pool, inputs: ['x'], outputs: ['y'] },
  avg_pool_grad: { uniforms: pool, inputs: ['dy'], outputs: ['dx'] },
  max_pool_act: { uniforms: pool, inputs: ['x'], outputs: ['y'] },
  max_pool_act_grad: { uniforms: pool, inputs: ['x', 'pooled', 'dy'], outputs: ['dx'] },
});

/** Index, within the plane, of the first maximum of the window at (oy, ox). */
function argmaxInWindow(x: ArrayLike<number>, base: number, oy: number, ox: number, p: PoolParams): number {
  let best = -Infinity;
  let at = (oy * p.stride) * p.w + ox * p.stride;
  for (let ky = 0; ky < p.size; ky++)
    for (let kx = 0; kx < p.size; kx++) {
      const i = (oy * p.stride + ky) * p.w + ox * p.stride + kx;
      if (x[base + i] > best) {
        best = x[base + i];
        at = i;
      }
    }
  return at;
}

export const maxPoolKernel: Kernel<PoolParams> = {
  name: 'maxPool',
  cpu([x], [y], p) {
    for (let q = 0; q < p.planes; q++)
      for (let oy = 0; oy < p.oh; oy++)
        for (let ox = 0; ox < p.ow; ox++) {
          const base = q * p.h * p.w;
          y[(q * p.oh + oy) * p.ow + ox] = x[base + argmaxInWindow(x, base, oy, ox, p)];
        }
  },
  gpu(ctx, [x], [y], p) {
    dispatchMaxPool(ctx, x, y, p, null);
  },
};

/** Routes each window's gradient to its first maximum, found again from x (no index tensor). */
export const maxPoolGradKernel: Kernel<PoolParams> = {
  name: 'maxPoolGrad',
  cpu([x, dy], [dx], p) {
    dx.fill(0);
    for (let q = 0; q < p.planes; q++)
      for (let oy = 0; oy < p.oh; oy++)
        for (let ox = 0; ox < p.ow; ox++) {
          const base = q * p.h * p.w;
          dx[base + argmaxInWindow(x, base, oy, ox, p)] += dy[(q * p.oh + oy) * p.ow + ox];
        }
  },
  gpu(ctx, [x, dy], [dx], p) {
    // Without an activation the pooled output is never read: dy stands in for it.
    dispatchMaxPoolGrad(ctx, x, dy, dy, dx, p, null);
  },
};

/**
 * Max pooling and a monotone non-decreasing activation in one pass: act(max xᵢ) = max act(xᵢ),
 * so "act then pool" and "pool then act" are both the activation of the pooled value, computed
 * on a quarter of the values (2×2) and never stored at full size. The fused activations
 * (activation.ts) are exactly the monotone ones: GELU dips below zero and is not among them.
 */
export interface MaxPoolActParams extends PoolParams {
  op: FusedActivation;
}

export const maxPoolActKernel: Kernel<MaxPoolActParams> = {
  name: 'maxPoolAct',
  cpu([x], [y], p) {
    const f = unarySpecs[p.op].f;
    for (let q = 0; q < p.planes; q++)
      for (let oy = 0; oy < p.oh; oy++)
        for (let ox = 0; ox < p.ow; ox++) {
          const base = q * p.h * p.w;
          y[(q * p.oh + oy) * p.ow + ox] = f(x[base + argmaxInWindow(x, base, oy, ox, p)]);
        }
  },
  gpu(ctx, [x], [y], p) {
    dispatchMaxPool(ctx, x, y, p, p.op);
  },
};

/**
 * dx = dy · act′ at each window's first maximum of x, act′ read from the pooled output y (inputs
 * [x, y, dy]). For ReLU this is exactly the gradient of either unfused order: where the window's
 * maximum is positive both route it to its first maximum; where it is not, act′ is 0 everywhere.
 */
export const maxPoolActGradKernel: Kernel<MaxPoolActParams> = {
  name: 'maxPoolActGrad',
  cpu([x, y, dy], [dx], p) {
    dx.fill(0);
    for (let q = 0; q < p.planes; q++)
      for (let oy = 0; oy < p.oh; oy++)
        for (let ox = 0; ox < p.ow; ox++) {
          const base = q * p.h * p.w;
          const o = (q * p.oh + oy) * p.ow + ox;
          dx[base + argmaxInWindow(x, base, oy, ox, p)] += dy[o] * derivativeFromOutput(p.op, y[o]);
        }
  },
  gpu(ctx, [x, pooled, dy], [dx], p) {
    dispatchMaxPoolGrad(ctx, x, pooled, dy, dx, p, p.op);
  },
};

/** Plain and fused max pooling share the WGSL entries: ACT 0 (no activation) is the plain one. */
function dispatchMaxPool(ctx: GpuContext, x: GpuStorage, y: GpuStorage, p: PoolParams, op: FusedActivation | null): void {
  ctx.dispatch(poolShader.dispatch('max_pool_act', { key: { ACT: activationCode(op) }, inputs: { x }, outputs: { y }, uniforms: { ...poolOnly(p), lowest: -Infinity }, workgroups: ceilDiv(y.length, 256) }));
}

function dispatchMaxPoolGrad(ctx: GpuContext, x: GpuStorage, pooled: GpuStorage, dy: GpuStorage, dx: GpuStorage, p: PoolParams, op: FusedActivation | null): void {
  ctx.dispatch(poolShader.dispatch('max_pool_act_grad', { key: { ACT: activationCode(op) }, inputs: { x, pooled, dy }, outputs: { dx }, uniforms: { ...poolOnly(p), lowest: -Infinity }, workgroups: ceilDiv(dx.length, 256) }));
}

const poolOnly = ({ planes, h, w, size, stride, oh, ow }: PoolParams): PoolParams => ({ planes, h, w, size, stride, oh, ow });

export const avgPoolKernel: Kernel<PoolParams> = {
  name: 'avgPool',
  cpu([x], [y], p) {
    const inv = 1 / (p.size * p.size);
    for (let q = 0; q < p.planes; q++)
      for (let oy = 0; oy < p.oh; oy++)
        for (let ox = 0; ox < p.ow; ox++) {
          let acc = 0;
          for (let ky = 0; ky < p.size; ky++)
            for (let kx = 0; kx < p.size; kx++) acc += x[(q * p.h + oy * p.stride + ky) * p.w + ox * p.stride + kx];
          y[(q * p.oh + oy) * p.ow + ox] = acc * inv;
        }
  },
  gpu(ctx, [x], [y], p) {
    ctx.dispatch(poolShader.dispatch('avg_pool', { inputs: { x }, outputs: { y }, uniforms: { ...p, lowest: -Infinity }, workgroups: ceilDiv(y.length, 256) }));
  },
};

export const avgPoolGradKernel: Kernel<PoolParams> = {
  name: 'avgPoolGrad',
  cpu([dy], [dx], p) {
    const inv = 1 / (p.size * p.size);
    dx.fill(0);
    for (let q = 0; q < p.planes; q++)
      for (let oy = 0; oy < p.oh; oy++)
        for (let ox = 0; ox < p.ow; ox++) {
          const g = dy[(q * p.oh + oy) * p.ow + ox] * inv;
          for (let ky = 0; ky < p.size; ky++)
            for (let kx = 0; kx < p.size; kx++) dx[(q * p.h + oy * p.stride + ky) * p.w + ox * p.stride + kx] += g;
        }
  },
  gpu(ctx, [dy], [dx], p) {
    ctx.dispatch(poolShader.dispatch('avg_pool_grad', { inputs: { dy }, outputs: { dx }, uniforms: { ...p, lowest: -Infinity }, workgroups: ceilDiv(dx.length, 256) }));
  },
};

export function poolParams(x: Tensor, size: number, stride: number): PoolParams {
  if (x.shape.length !== 4) throw new Error(`pool: expected [n, c, h, w], got ${describe(x.shape)}`);
  const [n, c, h, w] = x.shape;
  const oh = Math.floor((h - size) / stride) + 1;
  const ow = Math.floor((w - size) / stride) + 1;
  if (oh <= 0 || ow <= 0) throw new Error(`pool: a ${size}×${size} window does not fit ${describe(x.shape)}`);
  return { planes: n * c, h, w, size, stride, oh, ow };
}

export function maxPool2d(x: Tensor, size = 2, stride = size): Tensor {
  const p = poolParams(x, size, stride);
  const [y] = launch(maxPoolKernel, [x], [[x.shape[0], x.shape[1], p.oh, p.ow]], p);
  return record(y, 'maxPool2d', [x], (g) => [launch(maxPoolGradKernel, [x, g], [x.shape], p)[0]]);
}

/** act(maxPool2d(x)), which is also maxPool2d(act(x)): one op, one pass each way. */
export function maxPool2dAct(x: Tensor, op: FusedActivation, size = 2, stride = size): Tensor {
  const p = { ...poolParams(x, size, stride), op };
  const [y] = launch(maxPoolActKernel, [x], [[x.shape[0], x.shape[1], p.oh, p.ow]], p);
  return record(y, 'maxPool2dAct', [x], (g) => [launch(maxPoolActGradKernel, [x, y, g], [x.shape], p)[0]]);
}

export function avgPool2d(x: Tensor, size = 2, stride = size): Tensor {
  const p = poolParams(x, size, stride);
  const [y] = launch(avgPoolKernel, [x], [[x.shape[0], x.shape[1], p.oh, p.ow]], p);
  return record(y, 'avgPool2d', [x], (g) => [launch(avgPoolGradKernel, [g], [x.shape], p)[0]]);
}
