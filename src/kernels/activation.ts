/**
 * Activations fused into the epilogue of a matmul or convolution (shaders/gemm.wgsl applies them
 * as the result is written). Their gradients come from the saved output, so the pre-activation
 * never has to be kept: only activations whose derivative is a function of their output fuse.
 */
import { unarySpecs, type Activation } from './elementwise.ts';
import type { Kernel } from './kernel.ts';
import type { HostArray } from '../tensor/backend.ts';
import { block, shaderFamily } from './spec.ts';
import { ceilDiv, chunks, slice } from './gpu.ts';

/** shaders/activation.wgsl. */
export const activationShader = shaderFamily('activation', {
  activation_grad: { uniforms: block('count', { n: 'u32' }), inputs: ['y', 'dy'], outputs: ['dx'] },
});

/** GELU's derivative is not a function of its output: a layer with GELU keeps it unfused. */
export type FusedActivation = Exclude<Activation, 'gelu'>;
export const fusedActivations: readonly FusedActivation[] = ['relu', 'tanh', 'softsign', 'sigmoid'];

export function canFuse(a: Activation | null | undefined): a is FusedActivation {
  return !!a && (fusedActivations as readonly string[]).includes(a);
}

/** The code `activate` in shaders/common.wgsl switches on: 0 none, then `activations`' order in elementwise.ts. */
export function activationCode(a: Activation | null | undefined): number {
  return a ? ['relu', 'tanh', 'softsign', 'gelu', 'sigmoid'].indexOf(a) + 1 : 0;
}

/** The `flags` uniform of the GEMM instances: bit 0 bias, bit 1 row sums, bits 2+ the activation. */
export function epilogueFlags(bias: boolean, rowSums: boolean, a: Activation | null | undefined): number {
  return (bias ? 1 : 0) | (rowSums ? 2 : 0) | (activationCode(a) << 2);
}

/** The reference epilogue: act applied in place over `out`. */
export function applyActivation(a: Activation | null | undefined, out: HostArray): void {
  if (!a) return;
  const f = unarySpecs[a].f;
  for (let i = 0; i < out.length; i++) out[i] = f(out[i]);
}

/** d act / dx written in terms of y = act(x). */
export function derivativeFromOutput(a: FusedActivation, y: number): number {
  switch (a) {
    case 'relu': return y > 0 ? 1 : 0;
    case 'tanh': return 1 - y * y;
    case 'softsign': { const d = 1 - Math.abs(y); return d * d; }
    case 'sigmoid': return y * (1 - y);
  }
}

export interface ActivationGradParams {
  op: FusedActivation;
}

/** dx = dy · act'(x), from y = act(x). Inputs [y, dy]. */
export const activationGradKernel: Kernel<ActivationGradParams> = {
  name: 'activationGrad',
  cpu([y, dy], [dx], { op }) {
    for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * derivativeFromOutput(op, y[i]);
  },
  gpu(ctx, [y, dy], [dx], { op }) {
    for (const c of chunks(ctx.limits, dx.length)) {
      ctx.dispatch(activationShader.dispatch('activation_grad', {
        key: { ACT: activationCode(op) }, inputs: { y: slice(y, c.offset, c.length), dy: slice(dy, c.offset, c.length) },
        outputs: { dx: slice(dx, c.offset, c.length) }, uniforms: { n: c.length }, workgroups: ceilDiv(c.length, 256),
      }));
    }
  },
};
