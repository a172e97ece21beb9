/**
 * Optimizer updates as in-place device kernels, so parameters and their state never leave the
 * device. Each is the pure per-parameter step of `src/optim`; the hyper-parameters (learning rate
 * included) are plain numbers that may change between steps.
 */
import type { Kernel } from './kernel.ts';
import { block, shaderFamily } from './spec.ts';
import { ceilDiv, chunks, slice, type GpuStorage } from './gpu.ts';

/** The grouped update's uniforms: each parameter's size n_j and where its states start in the bound window of the packed state, o_j. */
const packStep = block('packStep', {
  n0: 'u32', n1: 'u32', n2: 'u32', n3: 'u32', n4: 'u32', n5: 'u32', n6: 'u32',
  o0: 'u32', o1: 'u32', o2: 'u32', o3: 'u32', o4: 'u32', o5: 'u32', o6: 'u32',
  lr: 'f32', weightDecay: 'f32',
  /** momentum's μ or Adam's β₁ */
  momentum: 'f32', beta2: 'f32', eps: 'f32', c1: 'f32', c2: 'f32',
});

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
  update_packed7: { uniforms: packStep, inputs: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6'], outputs: ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'state'] },
  update_packed3: { uniforms: packStep, inputs: ['g0', 'g1', 'g2'], outputs: ['p0', 'p1', 'p2', 'state'] },
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

export const stateCount = { sgd: 0, momentum: 1, adam: 2 } as const;
const singleKernels = { sgd: sgdKernel, momentum: momentumKernel, adam: adamKernel } as const;

/**
 * The packed optimizer state: every parameter's states in one buffer, each state a slot of the
 * parameter's size rounded up to 64 floats, so that every slot starts on a 256-byte boundary
 * (the largest storage-offset alignment WebGPU allows): a window of the buffer can be bound anywhere.
 */
export const slotStride = (n: number): number => Math.ceil(n / 64) * 64;

export interface UpdateGroupParams {
  rule: UpdateRule;
  /** where parameter j's states start in the packed state (the last target), in floats */
  offsets: readonly number[];
}

/** Parameters one dispatch updates: 7 × (gradient, parameter) + the packed state = 15 bindings, or 3 where a stage has only WebGPU's minimum of 8. */
const wideGroup = 7;
const narrowGroup = 3;

/**
 * Any number of parameters updated by one rule, their states packed in one buffer: one dispatch
 * per seven parameters. Inputs [g₀ … gₙ₋₁]; targets [p₀ … pₙ₋₁, packed state].
 */
export const updateGroupKernel: Kernel<UpdateGroupParams> = {
  name: 'updateGroup',
  cpu(grads, targets, { rule, offsets }) {
    const per = stateCount[rule.kind];
    const state = targets[grads.length];
    grads.forEach((g, j) => {
      const stride = slotStride(g.length);
      const slots = Array.from({ length: per }, (_, s) => state.subarray(offsets[j] + s * stride, offsets[j] + s * stride + g.length));
      (singleKernels[rule.kind] as Kernel<UpdateRule>).cpu([g], [targets[j], ...slots], rule);
    });
  },
  gpu(ctx, grads, targets, { rule, offsets }) {
    const per = stateCount[rule.kind];
    const state = targets[grads.length];
    const size = ctx.limits.maxStorageBuffersPerStage >= 2 * wideGroup + 1 ? wideGroup : narrowGroup;
    const h = ruleScalars(rule);
    const key = { KIND: per, NESTEROV: rule.kind === 'momentum' && rule.nesterov, DECOUPLED: rule.kind === 'adam' && rule.decoupled };
    const dummy = () => ctx.scratch(4);
    for (let first = 0; first < grads.length;) {
      // A group ends at `size` parameters or where its window of the state would pass the binding limit.
      const lo = offsets[first];
      let end = first;
      while (end < grads.length && end - first < size && offsets[end] + per * slotStride(grads[end].length) - lo <= ctx.limits.maxBindingLength) end++;
      if (end === first || grads.slice(first, end).some((g) => g.length > ctx.limits.maxBindingLength)) {
        throw new Error(`updateGroup: a parameter of ${grads[first].length} values does not fit one binding of this adapter (${ctx.limits.maxBindingLength} floats)`);
      }
      const hi = Math.max(lo + 1, offsets[end - 1] + per * slotStride(grads[end - 1].length));
      const n = (j: number) => (first + j < end ? grads[first + j].length : 0);
      const o = (j: number) => (first + j < end ? offsets[first + j] - lo : 0);
      const g = (j: number): GpuStorage => (first + j < end ? grads[first + j] : dummy());
      const p = (j: number): GpuStorage => (first + j < end ? targets[first + j] : dummy());
      const window = per > 0 ? slice(state, lo, hi - lo) : dummy();
      const uniforms = { n0: n(0), n1: n(1), n2: n(2), n3: n(3), n4: n(4), n5: n(5), n6: n(6), o0: o(0), o1: o(1), o2: o(2), o3: o(3), o4: o(4), o5: o(5), o6: o(6), ...h };
      let total = 0;
      for (let j = first; j < end; j++) total += grads[j].length;
      if (size === wideGroup) {
        ctx.dispatch(optimizersShader.dispatch('update_packed7', {
          key, uniforms, workgroups: ceilDiv(total, 256),
          inputs: { g0: g(0), g1: g(1), g2: g(2), g3: g(3), g4: g(4), g5: g(5), g6: g(6) },
          outputs: { p0: p(0), p1: p(1), p2: p(2), p3: p(3), p4: p(4), p5: p(5), p6: p(6), state: window },
        }));
      } else {
        ctx.dispatch(optimizersShader.dispatch('update_packed3', {
          key, uniforms, workgroups: ceilDiv(total, 256), inputs: { g0: g(0), g1: g(1), g2: g(2) }, outputs: { p0: p(0), p1: p(1), p2: p(2), state: window },
        }));
      }
      first = end;
    }
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
