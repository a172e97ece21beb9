/**
 * 2-D convolution, NCHW activations and PyTorch's [out, in, kh, kw] weights. The two gradients
 * are dedicated kernels: composing them from transposes and the forward would cost extra passes.
 */
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { sumTo } from './reduce.ts';
import { describe } from './shape.ts';
import { ceilDiv, type GpuContext, type GpuStorage } from './gpu.ts';

export type Padding = 'valid' | 'same';

export interface Conv2dParams {
  n: number;
  /** input channels, height, width */
  c: number;
  h: number;
  w: number;
  /** output channels (filters) */
  k: number;
  kh: number;
  kw: number;
  stride: number;
  padTop: number;
  padLeft: number;
  oh: number;
  ow: number;
  /** forward only: a third input of k values is added per output channel */
  bias: boolean;
}

/** Output size and leading padding the way Keras computes them ('same' puts the odd pixel last). */
export function convGeometry(size: number, kernel: number, stride: number, padding: Padding): { out: number; pad: number } {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, pad: Math.floor(total / 2) };
}

function convUniforms(p: Conv2dParams): number[] {
  return [p.n, p.c, p.h, p.w, p.k, p.kh, p.kw, p.stride, p.padTop, p.padLeft, p.oh, p.ow];
}

/**
 * One dispatch of shaders/conv2d.wgsl over an output map of `rows` rows of `cols` pixels × `channels`:
 * 64 pixels × 16 channels per workgroup. Stride 1 with a kernel up to 5 wide takes the `_row`
 * entry, whose threads own 4 neighbouring pixels of a row and share their windows' loads.
 */
function convGpu(ctx: GpuContext, entry: string, rows: number, cols: number, channels: number, inputs: GpuStorage[], out: GpuStorage, p: Conv2dParams, bias: boolean): void {
  const byRow = p.stride === 1 && p.kw <= 5;
  const groups = byRow ? ceilDiv(rows * ceilDiv(cols, 4), 16) : ceilDiv(rows * cols, 64);
  const max = ctx.limits.maxWorkgroupsPerDimension;
  ctx.dispatch({
    shader: 'conv2d', entry: byRow ? `${entry}_row` : entry, key: byRow ? { BIAS: bias, KW: p.kw } : { BIAS: bias },
    inputs, outputs: [out], uniforms: convUniforms(p),
    workgroups: [Math.min(groups, max), ceilDiv(channels, 16), ceilDiv(groups, max)],
  });
}

export const conv2dKernel: Kernel<Conv2dParams> = {
  name: 'conv2d',
  cpu([x, wt, bias], [y], p) {
    for (let b = 0; b < p.n; b++)
      for (let o = 0; o < p.k; o++)
        for (let oy = 0; oy < p.oh; oy++)
          for (let ox = 0; ox < p.ow; ox++) {
            let acc = p.bias ? bias[o] : 0;
            for (let ci = 0; ci < p.c; ci++)
              for (let ky = 0; ky < p.kh; ky++) {
                const iy = oy * p.stride + ky - p.padTop;
                if (iy < 0 || iy >= p.h) continue;
                for (let kx = 0; kx < p.kw; kx++) {
                  const ix = ox * p.stride + kx - p.padLeft;
                  if (ix < 0 || ix >= p.w) continue;
                  acc += x[((b * p.c + ci) * p.h + iy) * p.w + ix] * wt[((o * p.c + ci) * p.kh + ky) * p.kw + kx];
                }
              }
            y[((b * p.k + o) * p.oh + oy) * p.ow + ox] = acc;
          }
  },
  gpu(ctx, [x, wt, bias], [y], p) {
    convGpu(ctx, 'conv_fwd', p.n * p.oh, p.ow, p.k, [x, wt, p.bias ? bias : x], y, p, p.bias);
  },
};

/** dx from dy and the weights. */
export const conv2dGradInputKernel: Kernel<Conv2dParams> = {
  name: 'conv2dGradInput',
  cpu([dy, wt], [dx], p) {
    dx.fill(0);
    for (let b = 0; b < p.n; b++)
      for (let o = 0; o < p.k; o++)
        for (let oy = 0; oy < p.oh; oy++)
          for (let ox = 0; ox < p.ow; ox++) {
            const g = dy[((b * p.k + o) * p.oh + oy) * p.ow + ox];
            for (let ci = 0; ci < p.c; ci++)
              for (let ky = 0; ky < p.kh; ky++) {
                const iy = oy * p.stride + ky - p.padTop;
                if (iy < 0 || iy >= p.h) continue;
                for (let kx = 0; kx < p.kw; kx++) {
                  const ix = ox * p.stride + kx - p.padLeft;
                  if (ix < 0 || ix >= p.w) continue;
                  dx[((b * p.c + ci) * p.h + iy) * p.w + ix] += g * wt[((o * p.c + ci) * p.kh + ky) * p.kw + kx];
                }
              }
          }
  },
  gpu(ctx, [dy, wt], [dx], p) {
    convGpu(ctx, 'conv_dx', p.n * p.h, p.w, p.c, [dy, wt], dx, p, false);
  },
};

/** dW from the input and dy, summed over the batch. */
export const conv2dGradWeightKernel: Kernel<Conv2dParams> = {
  name: 'conv2dGradWeight',
  cpu([x, dy], [dw], p) {
    dw.fill(0);
    for (let b = 0; b < p.n; b++)
      for (let o = 0; o < p.k; o++)
        for (let oy = 0; oy < p.oh; oy++)
          for (let ox = 0; ox < p.ow; ox++) {
            const g = dy[((b * p.k + o) * p.oh + oy) * p.ow + ox];
            for (let ci = 0; ci < p.c; ci++)
              for (let ky = 0; ky < p.kh; ky++) {
                const iy = oy * p.stride + ky - p.padTop;
                if (iy < 0 || iy >= p.h) continue;
                for (let kx = 0; kx < p.kw; kx++) {
                  const ix = ox * p.stride + kx - p.padLeft;
                  if (ix < 0 || ix >= p.w) continue;
                  dw[((o * p.c + ci) * p.kh + ky) * p.kw + kx] += g * x[((b * p.c + ci) * p.h + iy) * p.w + ix];
                }
              }
          }
  },
  gpu(ctx, [x, dy], [dw], p) {
    // The reduction runs over every output position of the batch: split it so that enough
    // workgroups run, then sum the partial weight gradients.
    const cols = p.c * p.kh * p.kw;
    const total = p.n * p.oh * p.ow;
    const groups = ceilDiv(cols, 64) * ceilDiv(p.k, 16);
    const target = ctx.registerTiles ? 8 : 512;
    const splits = Math.max(1, Math.min(ceilDiv(target, groups), ceilDiv(total, 256), ctx.limits.maxWorkgroupsPerDimension));
    const chunk = ceilDiv(total, splits);
    const parts = splits === 1 ? dw : ctx.scratch(splits * p.k * cols);
    ctx.dispatch({
      shader: 'conv2d', entry: 'conv_dw', inputs: [x, dy], outputs: [parts],
      uniforms: [...convUniforms(p), chunk], workgroups: [ceilDiv(cols, 64), ceilDiv(p.k, 16), ceilDiv(total, chunk)],
    });
    if (parts !== dw) {
      ctx.dispatch({
        shader: 'conv2d', entry: 'sum_splits', inputs: [parts], outputs: [dw],
        uniforms: [dw.length, ceilDiv(total, chunk)], workgroups: ceilDiv(dw.length, 256),
      });
    }
  },
};

export interface Conv2dOptions {
  stride?: number;
  padding?: Padding;
  bias?: Tensor;
}

export function conv2dParams(x: Tensor, w: Tensor, stride: number, padding: Padding, bias: boolean): Conv2dParams {
  if (x.shape.length !== 4 || w.shape.length !== 4) {
    throw new Error(`conv2d: expected x [n, c, h, w] and weights [out, in, kh, kw], got ${describe(x.shape)} and ${describe(w.shape)}`);
  }
  const [n, c, h, wd] = x.shape;
  const [k, cw, kh, kw] = w.shape;
  if (c !== cw) throw new Error(`conv2d: input has ${c} channels but the weights expect ${cw} (x ${describe(x.shape)}, w ${describe(w.shape)})`);
  const gy = convGeometry(h, kh, stride, padding);
  const gx = convGeometry(wd, kw, stride, padding);
  if (gy.out <= 0 || gx.out <= 0) throw new Error(`conv2d: a ${kh}×${kw} kernel does not fit a ${h}×${wd} input with '${padding}' padding`);
  return { n, c, h, w: wd, k, kh, kw, stride, padTop: gy.pad, padLeft: gx.pad, oh: gy.out, ow: gx.out, bias };
}

export function conv2d(x: Tensor, w: Tensor, { stride = 1, padding = 'valid', bias }: Conv2dOptions = {}): Tensor {
  const p = conv2dParams(x, w, stride, padding, !!bias);
  if (bias && bias.size !== p.k) throw new Error(`conv2d: bias has ${bias.size} values, expected ${p.k}`);
  const inputs = bias ? [x, w, bias] : [x, w];
  const [y] = launch(conv2dKernel, inputs, [[p.n, p.k, p.oh, p.ow]], p);
  return record(y, 'conv2d', inputs, (g) => {
    const q = { ...p, bias: false };
    const dx = x.requiresGrad ? launch(conv2dGradInputKernel, [g, w], [x.shape], q)[0] : null;
    const dw = launch(conv2dGradWeightKernel, [x, g], [w.shape], q)[0];
    return bias ? [dx, dw, sumTo(g.view([p.n, p.k, p.oh * p.ow]), [p.k, 1]).view([p.k])] : [dx, dw];
  });
}
