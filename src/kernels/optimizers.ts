/**
 * Optimizer updates as in-place device kernels, so parameters and their state never leave the
 * device. Each is the pure per-parameter step of `src/optim`; the hyper-parameters (learning rate
 * included) are plain numbers that may change between steps.
 */
import type { Kernel } from './kernel.ts';
import { block, shaderFamily } from './spec.ts';
import { ceilDiv, chunks, slice } from './gpu.ts';

/** shaders/optimizers.wgsl: in-place updates, chunked at the binding limit. */
export const optimizersShader = shaderFamily('optimizers', {
  sgd: { uniforms: block('sgdStep', { n: 'u32', lr: 'f32', weightDecay: 'f32' }), inputs: ['grad'], outputs: ['param'] },
  momentum: { uniforms: block('momentumStep', { n: 'u32', lr: 'f32', weightDecay: 'f32', momentum: 'f32' }), inputs: ['grad'], outputs: ['param', 'velocity'] },
  adam: {
    uniforms: block('adamStep', {
      n: 'u32', lr: 'f32', weightDecay: 'f32', beta1: 'f32', beta2: 'f32', eps: 'f32',
      /** the bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ */
      c1: 'f32', c2: 'f32',
    }),
    inputs: ['grad'],
    outputs: ['param', 'moment1', 'moment2'],
  },
});

export interface SgdParams {
  lr: number;
  /** L2 added to the gradient (coupled, as torch.optim.SGD's weight_decay) */
  weightDecay: number;
}

/** p ← p − lr (g + wd p). Inputs [grad]; targets [param]. */
export const sgdKernel: Kernel<SgdParams> = {
  name: 'sgd',
  cpu([g], [p], { lr, weightDecay }) {
    for (let i = 0; i < p.length; i++) p[i] -= lr * (g[i] + weightDecay * p[i]);
  },
  gpu(ctx, [g], [p], { lr, weightDecay }) {
    for (const k of chunks(ctx.limits, g.length)) {
      ctx.dispatch(optimizersShader.dispatch('sgd', {
        inputs: { grad: slice(g, k.offset, k.length) }, outputs: { param: slice(p, k.offset, k.length) },
        uniforms: { n: k.length, lr, weightDecay }, workgroups: ceilDiv(k.length, 256),
      }));
    }
  },
};

export interface MomentumParams extends SgdParams {
  momentum: number;
  nesterov: boolean;
}

/**
 * Keras's form: v ← μ v − lr g; p ← p + v, or p ← p + μ v − lr g with Nesterov.
 * Inputs [grad]; targets [param, velocity].
 */
export const momentumKernel: Kernel<MomentumParams> = {
  name: 'momentum',
  cpu([g], [p, v], { lr, weightDecay, momentum, nesterov }) {
    for (let i = 0; i < p.length; i++) {
      const grad = g[i] + weightDecay * p[i];
      v[i] = momentum * v[i] - lr * grad;
      p[i] += nesterov ? momentum * v[i] - lr * grad : v[i];
    }
  },
  gpu(ctx, [g], [p, v], { lr, weightDecay, momentum, nesterov }) {
    for (const k of chunks(ctx.limits, g.length)) {
      ctx.dispatch(optimizersShader.dispatch('momentum', {
        key: { NESTEROV: nesterov },
        inputs: { grad: slice(g, k.offset, k.length) }, outputs: { param: slice(p, k.offset, k.length), velocity: slice(v, k.offset, k.length) },
        uniforms: { n: k.length, lr, weightDecay, momentum }, workgroups: ceilDiv(k.length, 256),
      }));
    }
  },
};

export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step number, for the bias corrections */
  step: number;
  weightDecay: number;
  /** AdamW: decay the weights directly (lr · wd · p) rather than through the gradient */
  decoupled: boolean;
}

/** Adam / AdamW (Kingma & Ba; Loshchilov & Hutter). Inputs [grad]; targets [param, m, v]. */
export const adamKernel: Kernel<AdamParams> = {
  name: 'adam',
  cpu([g], [p, m, v], { lr, beta1, beta2, eps, step, weightDecay, decoupled }) {
    const c1 = 1 - Math.pow(beta1, step);
    const c2 = 1 - Math.pow(beta2, step);
    for (let i = 0; i < p.length; i++) {
      const grad = decoupled ? g[i] : g[i] + weightDecay * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * grad;
      v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
      const update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
      p[i] -= lr * (update + (decoupled ? weightDecay * p[i] : 0));
    }
  },
  gpu(ctx, [g], [p, m, v], { lr, beta1, beta2, eps, step, weightDecay, decoupled }) {
    const c1 = 1 - Math.pow(beta1, step);
    const c2 = 1 - Math.pow(beta2, step);
    for (const k of chunks(ctx.limits, g.length)) {
      ctx.dispatch(optimizersShader.dispatch('adam', {
        key: { DECOUPLED: decoupled },
        inputs: { grad: slice(g, k.offset, k.length) },
        outputs: { param: slice(p, k.offset, k.length), moment1: slice(m, k.offset, k.length), moment2: slice(v, k.offset, k.length) },
        uniforms: { n: k.length, lr, weightDecay, beta1, beta2, eps, c1, c2 }, workgroups: ceilDiv(k.length, 256),
      }));
    }
  },
};
