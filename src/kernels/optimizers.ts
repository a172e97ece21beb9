/**
 * Optimizer updates as in-place device kernels, so parameters and their state never leave the
 * device. Each is the pure per-parameter step of `src/optim`; the hyper-parameters (learning rate
 * included) are plain numbers that may change between steps.
 */
import type { Kernel } from './kernel.ts';
import { ceilDiv, chunks, f32, slice, u32s, type GpuContext, type GpuStorage } from '../backends/webgpu/gpu-kernel.ts';

/** One in-place update of shaders/optimizers.wgsl over the parameter, chunked at the binding limit. */
function updateGpu(ctx: GpuContext, entry: string, g: GpuStorage, targets: readonly GpuStorage[], scalars: number[], key?: Record<string, boolean>): void {
  for (const k of chunks(ctx.limits, g.length)) {
    ctx.dispatch({
      shader: 'optimizers', entry, key, inputs: [slice(g, k.offset, k.length)], outputs: targets.map((t) => slice(t, k.offset, k.length)),
      uniforms: [k.length, ...scalars.map(f32)], workgroups: ceilDiv(k.length, 256),
    });
  }
}

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
  gpu(ctx, [g], targets, { lr, weightDecay }) {
    updateGpu(ctx, 'sgd', g, targets, [lr, weightDecay]);
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
  gpu(ctx, [g], targets, { lr, weightDecay, momentum, nesterov }) {
    updateGpu(ctx, 'momentum', g, targets, [lr, weightDecay, momentum], { NESTEROV: nesterov });
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
  gpu(ctx, [g], targets, { lr, beta1, beta2, eps, step, weightDecay, decoupled }) {
    const c1 = 1 - Math.pow(beta1, step);
    const c2 = 1 - Math.pow(beta2, step);
    updateGpu(ctx, 'adam', g, targets, [lr, weightDecay, beta1, beta2, eps, c1, c2], { DECOUPLED: decoupled });
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
 * 16 storage bindings a stage gets one dispatch per parameter.
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
    const lengths = grads.map((g) => g.length);
    while (lengths.length < updateGroupSize) lengths.push(0);
    const dummy = () => ctx.scratch(4);
    const inputs = Array.from({ length: updateGroupSize }, (_, j) => grads[j] ?? dummy());
    const outputs: GpuStorage[] = [];
    for (let j = 0; j < updateGroupSize; j++) {
      for (let t = 0; t < 3; t++) outputs.push(j < grads.length && t < per ? targets[j * per + t] : dummy());
    }
    const scalars = ruleScalars(rule);
    ctx.dispatch({
      shader: 'optimizers', entry: 'update_group', key: { KIND: stateCount[rule.kind], NESTEROV: rule.kind === 'momentum' && rule.nesterov, DECOUPLED: rule.kind === 'adam' && rule.decoupled },
      inputs, outputs, uniforms: [lengths[0], ...scalars.map(f32), u32s(lengths, 4)],
      workgroups: ceilDiv(lengths.reduce((a, b) => a + b, 0), 256),
    });
  },
};

/** lr, weight decay, then momentum / β₁, β₂, ε, 1 − β₁ᵗ, 1 − β₂ᵗ: OptParams' order. */
function ruleScalars(rule: UpdateRule): number[] {
  switch (rule.kind) {
    case 'sgd': return [rule.lr, rule.weightDecay, 0, 0, 0, 1, 1];
    case 'momentum': return [rule.lr, rule.weightDecay, rule.momentum, 0, 0, 1, 1];
    case 'adam': return [rule.lr, rule.weightDecay, rule.beta1, rule.beta2, rule.eps, 1 - Math.pow(rule.beta1, rule.step), 1 - Math.pow(rule.beta2, rule.step)];
  }
}
