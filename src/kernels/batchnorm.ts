/**
 * Batch normalisation over [n, c, s] (s = h·w for conv maps, 1 for dense features). Statistics
 * take one reduction pass; the backward is one kernel instead of the dozen ops composition costs.
 */
import { record } from '../tensor/autograd.ts';
import { launch, launchInPlace, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { describe } from './shape.ts';
import { block, shaderFamily, type Values } from './spec.ts';
import { ceilDiv, chunks, slice } from './gpu.ts';

const bnShapeFields = { n: 'u32', c: 'u32', s: 'u32' } as const;
const bnFields = { ...bnShapeFields, eps: 'f32' } as const;
export type BnShape = Values<typeof bnShapeFields>;
export type BnParams = Values<typeof bnFields>;
const bn = block('bn', bnFields);

/** shaders/batchnorm.wgsl. */
export const batchnormShader = shaderFamily('batchnorm', {
  bn_stats: { uniforms: block('bnShape', bnShapeFields), inputs: ['x'], outputs: ['batchMean', 'batchVariance'] },
  bn_forward: { uniforms: bn, inputs: ['x', 'mean', 'variance', 'gamma', 'beta'], outputs: ['y'] },
  bn_backward: { uniforms: bn, inputs: ['x', 'dy', 'mean', 'variance', 'gamma'], outputs: ['dx', 'dgamma', 'dbeta'] },
  ema: { uniforms: block('emaRate', { n: 'u32', momentum: 'f32', rate: 'f32' }), inputs: ['batch'], outputs: ['running'] },
});

/** Per-channel mean and biased variance. */
export const bnStatsKernel: Kernel<BnShape> = {
  name: 'bnStats',
  cpu([x], [mean, variance], { n, c, s }) {
    const count = n * s;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let b = 0; b < n; b++) for (let i = 0; i < s; i++) sum += x[(b * c + ch) * s + i];
      const mu = sum / count;
      let sq = 0;
      for (let b = 0; b < n; b++)
        for (let i = 0; i < s; i++) {
          const d = x[(b * c + ch) * s + i] - mu;
          sq += d * d;
        }
      mean[ch] = mu;
      variance[ch] = sq / count;
    }
  },
  gpu(ctx, [x], [batchMean, batchVariance], { n, c, s }) {
    ctx.dispatch(batchnormShader.dispatch('bn_stats', { inputs: { x }, outputs: { batchMean, batchVariance }, uniforms: { n, c, s }, workgroups: c }));
  },
};

/** y = γ (x − μ) / √(σ² + ε) + β. */
export const bnForwardKernel: Kernel<BnParams> = {
  name: 'bnForward',
  cpu([x, mean, variance, gamma, beta], [y], { n, c, s, eps }) {
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++) {
        const inv = 1 / Math.sqrt(variance[ch] + eps);
        for (let i = 0; i < s; i++) {
          const at = (b * c + ch) * s + i;
          y[at] = gamma[ch] * (x[at] - mean[ch]) * inv + beta[ch];
        }
      }
  },
  gpu(ctx, [x, mean, variance, gamma, beta], [y], uniforms) {
    ctx.dispatch(batchnormShader.dispatch('bn_forward', { inputs: { x, mean, variance, gamma, beta }, outputs: { y }, uniforms, workgroups: ceilDiv(y.length, 256) }));
  },
};

/** Training-mode backward (μ and σ² depend on x): dx, dγ, dβ in one kernel. */
export const bnBackwardKernel: Kernel<BnParams> = {
  name: 'bnBackward',
  cpu([x, dy, mean, variance, gamma], [dx, dgamma, dbeta], { n, c, s, eps }) {
    const count = n * s;
    for (let ch = 0; ch < c; ch++) {
      const inv = 1 / Math.sqrt(variance[ch] + eps);
      let sumDy = 0;
      let sumDyXhat = 0;
      for (let b = 0; b < n; b++)
        for (let i = 0; i < s; i++) {
          const at = (b * c + ch) * s + i;
          sumDy += dy[at];
          sumDyXhat += dy[at] * (x[at] - mean[ch]) * inv;
        }
      dgamma[ch] = sumDyXhat;
      dbeta[ch] = sumDy;
      for (let b = 0; b < n; b++)
        for (let i = 0; i < s; i++) {
          const at = (b * c + ch) * s + i;
          const xhat = (x[at] - mean[ch]) * inv;
          dx[at] = ((gamma[ch] * inv) / count) * (count * dy[at] - sumDy - xhat * sumDyXhat);
        }
    }
  },
  gpu(ctx, [x, dy, mean, variance, gamma], [dx, dgamma, dbeta], uniforms) {
    ctx.dispatch(batchnormShader.dispatch('bn_backward', { inputs: { x, dy, mean, variance, gamma }, outputs: { dx, dgamma, dbeta }, uniforms, workgroups: uniforms.c }));
  },
};

export interface EmaParams {
  momentum: number;
  /** multiplies the new value first (n/(n−1) turns a biased batch variance into an unbiased one) */
  correction: number;
}

/** running ← momentum · running + (1 − momentum) · correction · batch, in place. */
export const emaKernel: Kernel<EmaParams> = {
  name: 'ema',
  cpu([batch], [running], { momentum, correction }) {
    for (let i = 0; i < running.length; i++) running[i] = momentum * running[i] + (1 - momentum) * correction * batch[i];
  },
  gpu(ctx, [batch], [running], { momentum, correction }) {
    for (const k of chunks(ctx.limits, running.length)) {
      ctx.dispatch(batchnormShader.dispatch('ema', {
        inputs: { batch: slice(batch, k.offset, k.length) }, outputs: { running: slice(running, k.offset, k.length) },
        uniforms: { n: k.length, momentum, rate: (1 - momentum) * correction }, workgroups: ceilDiv(k.length, 256),
      }));
    }
  },
};

function bnShape(x: Tensor): BnShape {
  if (x.shape.length !== 2 && x.shape.length !== 4) throw new Error(`batchNorm: expected [n, c] or [n, c, h, w], got ${describe(x.shape)}`);
  const [n, c] = x.shape;
  return { n, c, s: x.shape.length === 4 ? x.shape[2] * x.shape[3] : 1 };
}

export interface BatchNormState {
  gamma: Tensor;
  beta: Tensor;
  runningMean: Tensor;
  runningVar: Tensor;
  momentum: number;
  eps: number;
}

/**
 * Training mode normalises with the batch's statistics and folds them into the running ones;
 * inference mode uses the running statistics and records no gradient through them.
 */
export function batchNorm(x: Tensor, st: BatchNormState, training: boolean): Tensor {
  const shape = bnShape(x);
  const p = { ...shape, eps: st.eps };
  if (st.gamma.size !== shape.c) throw new Error(`batchNorm: ${st.gamma.size} channels configured, input ${describe(x.shape)} has ${shape.c}`);
  if (!training) {
    // Evaluation only: no gradient rule is recorded through the running statistics.
    return launch(bnForwardKernel, [x, st.runningMean, st.runningVar, st.gamma, st.beta], [x.shape], p)[0];
  }
  const [mean, variance] = launch(bnStatsKernel, [x], [[shape.c], [shape.c]], shape);
  const count = shape.n * shape.s;
  launchInPlace(emaKernel, [mean], [st.runningMean], { momentum: st.momentum, correction: 1 });
  launchInPlace(emaKernel, [variance], [st.runningVar], { momentum: st.momentum, correction: count > 1 ? count / (count - 1) : 1 });
  const [y] = launch(bnForwardKernel, [x, mean, variance, st.gamma, st.beta], [x.shape], p);
  return record(y, 'batchNorm', [x, st.gamma, st.beta], (g) =>
    launch(bnBackwardKernel, [x, g, mean, variance, st.gamma], [x.shape, [shape.c], [shape.c]], p),
  );
}

export const batchNormKernels = {
  bnStats: bnStatsKernel,
  bnForward: bnForwardKernel,
  bnBackward: bnBackwardKernel,
  ema: emaKernel,
};
