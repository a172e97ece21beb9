/** Inverted dropout with a counter-based mask: the backward draws the same mask again. */
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { hash32, uniformAt } from './random.ts';
import { block, shaderFamily } from './spec.ts';
import { ceilDiv, chunks, slice } from './gpu.ts';

/** shaders/dropout.wgsl. */
export const dropoutShader = shaderFamily('dropout', {
  dropout: {
    uniforms: block('mask', {
      n: 'u32',
      /** index of this chunk's first element: the mask depends on the global index */
      base: 'u32',
      /** hash32(seed) */
      stream: 'u32',
      /** ⌈rate · 2³²⌉ */
      threshold: 'u32',
      /** 1 / (1 − rate) */
      keep: 'f32',
    }),
    inputs: ['x'],
    outputs: ['y'],
  },
});

export interface DropoutParams {
  rate: number;
  /** u32 stream id: one per layer and step */
  seed: number;
}

/** y = x / (1 − rate) where the element's uniform ≥ rate, else 0. Its own backward. */
export const dropoutKernel: Kernel<DropoutParams> = {
  name: 'dropout',
  cpu([x], [y], { rate, seed }) {
    const keep = 1 / (1 - rate);
    for (let i = 0; i < y.length; i++) y[i] = uniformAt(seed, i) >= rate ? x[i] * keep : 0;
  },
  gpu(ctx, [x], [y], { rate, seed }) {
    // uniform ≥ rate ⟺ hash ≥ rate · 2³² ⟺ hash ≥ ⌈rate · 2³²⌉: the same mask, in integers.
    const threshold = Math.min(Math.ceil(rate * 2 ** 32), 0xffffffff);
    for (const k of chunks(ctx.limits, y.length)) {
      ctx.dispatch(dropoutShader.dispatch('dropout', {
        inputs: { x: slice(x, k.offset, k.length) }, outputs: { y: slice(y, k.offset, k.length) },
        uniforms: { n: k.length, base: k.offset, stream: hash32(seed >>> 0), threshold, keep: 1 / (1 - rate) }, workgroups: ceilDiv(k.length, 256),
      }));
    }
  },
};

export function dropout(x: Tensor, rate: number, seed: number): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const p = { rate, seed: seed >>> 0 };
  const [y] = launch(dropoutKernel, [x], [x.shape], p);
  return record(y, 'dropout', [x], (g) => [launch(dropoutKernel, [g], [g.shape], p)[0]]);
}
