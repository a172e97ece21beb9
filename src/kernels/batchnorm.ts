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
import { activationCode, applyActivation, derivativeFromOutput, type FusedActivation } from './activation.ts';

export const bnShapeFields = { n: 'u32', c: 'u32', s: 'u32' } as const;
const bnFields = { ...bnShapeFields, eps: 'f32' } as const;
export type BnShape = Values<typeof bnShapeFields>;
export type BnParams = Values<typeof bnFields> & {
  /** bnForward: applied to y in the same pass; bnBackward: y = act(bn(x)) is a sixth input, and dy is its gradient */
  readonly activation?: FusedActivation;
};
export type BnStatsParams = BnShape & {
  /**
   * When set, targets 3 and 4 are the running mean and variance, updated in the same pass:
   * running ← momentum · running + (1 − momentum) · batch, the variance made unbiased (n/(n−1)) first.
   */
  readonly momentum?: number;
};
const bn = block('bn', bnFields);

/** shaders/batchnorm.wgsl. */
export const batchnormShader = shaderFamily('batchnorm', {
  bn_stats: { uniforms: block('bnShape', bnShapeFields), inputs: ['x'], outputs: ['batchMean', 'batchVariance'] },
  bn_forward: { uniforms: bn, inputs: ['x', 'mean', 'variance', 'gamma', 'beta'], outputs: ['y'] },
  bn_backward: { uniforms: bn, inputs: ['x', 'dy', 'mean', 'variance', 'gamma'], outputs: ['dx', 'dgamma', 'dbeta'] },
  ema: { uniforms: block('emaRate', { n: 'u32', momentum: 'f32', rate: 'f32' }), inputs: ['batch'], outputs: ['running'] },
  bn_stats_running: {
    uniforms: block('bnRunning', { ...bnShapeFields, momentum: 'f32', varianceRate: 'f32' }), inputs: ['x'], outputs: ['batchMean', 'batchVariance', 'runningMean', 'runningVariance'],
  },
  bn_backward_act: { uniforms: bn, inputs: ['x', 'dy', 'mean', 'variance', 'gamma', 'activated'], outputs: ['dx', 'dgamma', 'dbeta'] },
});

/** n/(n−1): the running variance is the unbiased one, as Keras and PyTorch keep it. */
const unbiased = (count: number) => (count > 1 ? count / (count - 1) : 1);

/** Per-channel mean and biased variance (and the running statistics' update). */
export const bnStatsKernel: Kernel<BnStatsParams> = {
  name: 'bnStats',
  cpu([x], [mean, variance, runningMean, runningVariance], { n, c, s, momentum }) {
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
      if (momentum !== undefined) {
        runningMean[ch] = momentum * runningMean[ch] + (1 - momentum) * mu;
        runningVariance[ch] = momentum * runningVariance[ch] + (1 - momentum) * unbiased(count) * (sq / count);
      }
    }
  },
  gpu(ctx, [x], [batchMean, batchVariance, runningMean, runningVariance], { n, c, s, momentum }) {
    if (momentum === undefined) {
      ctx.dispatch(batchnormShader.dispatch('bn_stats', { inputs: { x }, outputs: { batchMean, batchVariance }, uniforms: { n, c, s }, workgroups: c }));
      return;
    }
    ctx.dispatch(batchnormShader.dispatch('bn_stats_running', {
      inputs: { x }, outputs: { batchMean, batchVariance, runningMean, runningVariance },
      uniforms: { n, c, s, momentum, varianceRate: (1 - momentum) * unbiased(n * s) }, workgroups: c,
    }));
  },
};

/** y = act(γ (x − μ) / √(σ² + ε) + β). */
export const bnForwardKernel: Kernel<BnParams> = {
  name: 'bnForward',
  cpu([x, mean, variance, gamma, beta], [y], { n, c, s, eps, activation }) {
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++) {
        const inv = 1 / Math.sqrt(variance[ch] + eps);
        for (let i = 0; i < s; i++) {
          const at = (b * c + ch) * s + i;
          y[at] = gamma[ch] * (x[at] - mean[ch]) * inv + beta[ch];
        }
      }
    applyActivation(activation, y);
  },
  gpu(ctx, [x, mean, variance, gamma, beta], [y], uniforms) {
    ctx.dispatch(batchnormShader.dispatch('bn_forward', {
      key: { ACT: activationCode(uniforms.activation) }, inputs: { x, mean, variance, gamma, beta }, outputs: { y }, uniforms, workgroups: ceilDiv(y.length, 256),
    }));
  },
};

/** Training-mode backward (μ and σ² depend on x): dx, dγ, dβ in one kernel, through a fused activation's gradient. */
export const bnBackwardKernel: Kernel<BnParams> = {
  name: 'bnBackward',
  cpu([x, dyOut, mean, variance, gamma, activated], [dx, dgamma, dbeta], { n, c, s, eps, activation }) {
    const count = n * s;
    const dy = activation ? dyOut.map((g, i) => g * derivativeFromOutput(activation, activated[i])) : dyOut;
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
  gpu(ctx, [x, dy, mean, variance, gamma, activated], [dx, dgamma, dbeta], uniforms) {
    if (uniforms.activation) {
      ctx.dispatch(batchnormShader.dispatch('bn_backward_act', {
        key: { ACT: activationCode(uniforms.activation) }, inputs: { x, dy, mean, variance, gamma, activated }, outputs: { dx, dgamma, dbeta }, uniforms, workgroups: uniforms.c,
      }));
      return;
    }
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
export function batchNorm(x: Tensor, st: BatchNormState, training: boolean, activation?: FusedActivation): Tensor {
  const shape = bnShape(x);
  const p = { ...shape, eps: st.eps, activation };
  if (st.gamma.size !== shape.c) throw new Error(`batchNorm: ${st.gamma.size} channels configured, input ${describe(x.shape)} has ${shape.c}`);
  if (!training) {
    // Evaluation only: no gradient rule is recorded through the running statistics.
    return launch(bnForwardKernel, [x, st.runningMean, st.runningVar, st.gamma, st.beta], [x.shape], p)[0];
  }
  // The batch statistics and the running ones' update are one pass.
  const mean = Tensor.empty([shape.c], x.backend);
  const variance = Tensor.empty([shape.c], x.backend);
  launchInPlace(bnStatsKernel, [x], [mean, variance, st.runningMean, st.runningVar], { ...shape, momentum: st.momentum });
  const [y] = launch(bnForwardKernel, [x, mean, variance, st.gamma, st.beta], [x.shape], p);
  return record(y, 'batchNorm', [x, st.gamma, st.beta], (g) =>
    launch(bnBackwardKernel, activation ? [x, g, mean, variance, st.gamma, y] : [x, g, mean, variance, st.gamma], [x.shape, [shape.c], [shape.c]], p),
  );
}

export const batchNormKernels = {
  bnStats: bnStatsKernel,
  bnForward: bnForwardKernel,
  bnBackward: bnBackwardKernel,
  ema: emaKernel,
};
