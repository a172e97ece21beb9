/**
 * Optimizer updates as in-place device kernels, so parameters and their state never leave the
 * device. Each is the pure per-parameter step of `src/optim`; the hyper-parameters (learning rate
 * included) are plain numbers that may change between steps.
 */
import type { Kernel } from './kernel.ts';
import { block, shaderFamily } from './spec.ts';
import { ceilDiv, chunks, slice, type GpuStorage } from './gpu.ts';

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
  update_group: {
    uniforms: block('groupStep', {
      n0: 'u32', n1: 'u32', n2: 'u32', n3: 'u32', lr: 'f32', weightDecay: 'f32',
      /** momentum's μ or Adam's β₁ */
      momentum: 'f32', beta2: 'f32', eps: 'f32', c1: 'f32', c2: 'f32',
    }),
    inputs: ['g0', 'g1', 'g2', 'g3'],
    outputs: ['p0', 's0a', 's0b', 'p1', 's1a', 's1b', 'p2', 's2a', 's2b', 'p3', 's3a', 's3b'],
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

/** One update rule and its hyper-parameters, as the single-parameter kernels take them. */
export type UpdateRule =
  | ({ kind: 'sgd' } & SgdParams)
  | ({ kind: 'momentum' } & MomentumParams)
  | ({ kind: 'adam' } & AdamParams);

const stateCount = { sgd: 0, momentum: 1, adam: 2 } as const;
const singleKernels = { sgd: sgdKernel, momentum: momentumKernel, adam: adamKernel } as const;

/** Parameters one grouped dispatch updates: 4 × (gradient, parameter, 2 states) = 16 bindings. */
export const updateGroupSize = 4;
const groupBindings = updateGroupSize * 4;

export interface UpdateGroupParams {
  rule: UpdateRule;
}

/**
 * Up to four parameters updated by one rule in one dispatch. Inputs [g₀ … g₃]; targets, per
 * parameter, [param, …its states] as the single kernels take them. An adapter with fewer than
 * 16 storage bindings a stage (or a parameter past the binding limit) gets one kernel per parameter.
 */
export const updateGroupKernel: Kernel<UpdateGroupParams> = {
  name: 'updateGroup',
  cpu(grads, targets, { rule }) {
    const per = 1 + stateCount[rule.kind];
    grads.forEach((g, j) => (singleKernels[rule.kind] as Kernel<UpdateRule>).cpu([g], targets.slice(j * per, (j + 1) * per), rule));
  },
  gpu(ctx, grads, targets, { rule }) {
    const per = 1 + stateCount[rule.kind];
    const fits = ctx.limits.maxStorageBuffersPerStage >= groupBindings && grads.every((g) => g.length <= ctx.limits.maxBindingLength);
    if (!fits || grads.length > updateGroupSize) {
      grads.forEach((g, j) => (singleKernels[rule.kind] as Kernel<UpdateRule>).gpu(ctx, [g], targets.slice(j * per, (j + 1) * per), rule));
      return;
    }
    const n = (j: number) => grads[j]?.length ?? 0;
    // Empty slots and states a rule does not keep are bound to small dummies, never touched.
    const at = (j: number, t: number): GpuStorage => (j < grads.length && t < per ? targets[j * per + t] : ctx.scratch(4));
    const g = (j: number): GpuStorage => grads[j] ?? ctx.scratch(4);
    const h = ruleScalars(rule);
    ctx.dispatch(optimizersShader.dispatch('update_group', {
      key: { KIND: stateCount[rule.kind], NESTEROV: rule.kind === 'momentum' && rule.nesterov, DECOUPLED: rule.kind === 'adam' && rule.decoupled },
      inputs: { g0: g(0), g1: g(1), g2: g(2), g3: g(3) },
      outputs: {
        p0: at(0, 0), s0a: at(0, 1), s0b: at(0, 2), p1: at(1, 0), s1a: at(1, 1), s1b: at(1, 2),
        p2: at(2, 0), s2a: at(2, 1), s2b: at(2, 2), p3: at(3, 0), s3a: at(3, 1), s3b: at(3, 2),
      },
      uniforms: { n0: n(0), n1: n(1), n2: n(2), n3: n(3), ...h },
      workgroups: ceilDiv(n(0) + n(1) + n(2) + n(3), 256),
    }));
  },
};

function ruleScalars(rule: UpdateRule): { lr: number; weightDecay: number; momentum: number; beta2: number; eps: number; c1: number; c2: number } {
  const base = { lr: rule.lr, weightDecay: rule.weightDecay, momentum: 0, beta2: 0, eps: 0, c1: 1, c2: 1 };
  switch (rule.kind) {
    case 'sgd': return base;
    case 'momentum': return { ...base, momentum: rule.momentum };
    case 'adam': return { ...base, momentum: rule.beta1, beta2: rule.beta2, eps: rule.eps, c1: 1 - Math.pow(rule.beta1, rule.step), c2: 1 - Math.pow(rule.beta2, rule.step) };
  }
}
