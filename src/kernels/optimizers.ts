/**
 * Optimizer updates as in-place device kernels, so parameters and their state never leave the
 * device. Each is the pure per-parameter step of `src/optim`; the hyper-parameters (learning rate
 * included) are plain numbers that may change between steps.
 */
import type { Kernel } from './kernel.ts';
import { ceilDiv, chunks, f32, slice, type GpuContext, type GpuStorage } from './gpu.ts';

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
