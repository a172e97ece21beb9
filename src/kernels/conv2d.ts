/**
 * 2-D convolution, NCHW activations and PyTorch's [out, in, kh, kw] weights. The two gradients
 * are dedicated kernels: composing them from transposes and the forward would cost extra passes.
 */
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { describe } from './shape.ts';
import { activationCode, activationGradKernel, applyActivation, epilogueFlags, type FusedActivation } from './activation.ts';
import { ceilDiv, type GpuContext, type GpuStorage } from './gpu.ts';
import { tileCols, tileConsts, tileRows, type GemmTile } from './gemm-tiles.ts';
import { block, shaderFamily, type EntrySpec, type Values } from './spec.ts';

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
  /** forward only: applied to every output in the same pass */
  activation?: FusedActivation;
  /** weight gradient only: a second output of k values, Σ dy per filter (the bias gradient) */
  biasGrad?: boolean;
}

/** Output size and leading padding the way Keras computes them ('same' puts the odd pixel last). */
export function convGeometry(size: number, kernel: number, stride: number, padding: Padding): { out: number; pad: number } {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, pad: Math.floor(total / 2) };
}

const convShapeFields = {
  n: 'u32', c: 'u32', h: 'u32', w: 'u32', k: 'u32', kh: 'u32', kw: 'u32', stride: 'u32', padTop: 'u32', padLeft: 'u32', oh: 'u32', ow: 'u32',
} as const;

function convShape(p: Conv2dParams): Values<typeof convShapeFields> {
  return { n: p.n, c: p.c, h: p.h, w: p.w, k: p.k, kh: p.kh, kw: p.kw, stride: p.stride, padTop: p.padTop, padLeft: p.padLeft, oh: p.oh, ow: p.ow };
}

/**
 * The GEMM template's uniforms: split-K of the weight gradient (K values per split, the number
 * of splits) and, as matmul's, flags bit 0 bias, bit 1 row sums, bits 2+ the activation.
 */
const convGemmEntry = {
  uniforms: block('pc', { ...convShapeFields, kChunk: 'u32', splits: 'u32', flags: 'u32' }),
  // cin1v: cin1 again, read four-wide where the layout allows (VEC_A), else a small dummy
  inputs: ['cin0', 'cin1', 'cbias', 'cin1v'],
  outputs: ['cout', 'csums'],
} as const satisfies EntrySpec;

/**
 * shaders/conv2d.wgsl: the hooks of the GEMM template (shaders/gemm.wgsl), and the sum of the
 * weight gradient's split partials (columns `cols` without the ones column, rows the filters;
 * rowSums 1: column `cols` of the partials is the bias gradient, written to `sums`).
 */
export const conv2dShader = shaderFamily('conv2d', {
  gemm: convGemmEntry,
  sum_splits: { uniforms: block('ps', { cols: 'u32', rows: 'u32', splits: 'u32', rowSums: 'u32' }), inputs: ['parts'], outputs: ['summed', 'sums'] },
}, [], { template: 'gemm', vec4: ['cin1v'] });

/**
 * conv_dw's `chunk`: output positions (b, oy, ox) per split of the reduction, and `rowSums` 1: a
 * column of ones after the weight columns, whose result is the bias gradient (both 0 elsewhere).
 */
const convRegsParams = block('pc', { ...convShapeFields, chunk: 'u32', rowSums: 'u32' });

/** shaders/conv2d_regs.wgsl. */
export const conv2dRegsShader = shaderFamily('conv2d_regs', {
  conv_fwd: { uniforms: convRegsParams, inputs: ['cin0', 'cin1', 'cbias'], outputs: ['cout'] },
  conv_fwd_row: { uniforms: convRegsParams, inputs: ['cin0', 'cin1', 'cbias'], outputs: ['cout'] },
  conv_dx: { uniforms: convRegsParams, inputs: ['cin0', 'cin1'], outputs: ['cout'] },
  conv_dx_row: { uniforms: convRegsParams, inputs: ['cin0', 'cin1'], outputs: ['cout'] },
  conv_dw: { uniforms: convRegsParams, inputs: ['cin0', 'cin1'], outputs: ['cout', 'csums'] },
  sum_splits: { uniforms: block('ps', { cols: 'u32', rows: 'u32', splits: 'u32', rowSums: 'u32' }), inputs: ['parts'], outputs: ['summed', 'sums'] },
});

/** The three GEMMs of shaders/conv2d.wgsl: CONV code and M × N × K. */
const gemms = {
  forward: (p: Conv2dParams) => ({ code: 0, m: p.k, n: p.n * p.oh * p.ow, k: p.c * p.kh * p.kw }),
  gradInput: (p: Conv2dParams) => ({ code: 1, m: p.c, n: p.n * p.h * p.w, k: p.k * p.kh * p.kw }),
  gradWeight: (p: Conv2dParams) => ({ code: 2, m: p.k, n: p.c * p.kh * p.kw, k: p.n * p.oh * p.ow }),
};

/**
 * One dispatch of the GEMM template through the conv2d hooks. `splits` > 1 cuts K over
 * workgroup z (the weight gradient's long reduction), each split writing its own partial.
 */
function convGemm(
  ctx: GpuContext, g: { code: number; m: number; n: number; k: number }, [cin0, cin1, cbias]: readonly [GpuStorage, GpuStorage, GpuStorage],
  [cout, csums]: readonly [GpuStorage, GpuStorage], p: Conv2dParams, flags: number, splits: number, tile: GemmTile,
): void {
  const colGroups = ceilDiv(g.n, tileCols(tile));
  const max = ctx.limits.maxWorkgroupsPerDimension;
  const x = Math.min(colGroups, max);
  // Four-wide loads of A need k runs of 4 that stay in one row (forward) or one plane (weight
  // gradient), and split boundaries on multiples of 4.
  const vecA = (g.code === 0 && g.k % 4 === 0) || (g.code === 2 && (p.oh * p.ow) % 4 === 0);
  ctx.dispatch(conv2dShader.dispatch('gemm', {
    consts: tileConsts(tile), key: { CONV: g.code, VEC_A: vecA },
    inputs: { cin0, cin1, cbias, cin1v: vecA ? cin1 : ctx.scratch(4) }, outputs: { cout, csums },
    uniforms: { ...convShape(p), kChunk: ceilDiv(ceilDiv(g.k, splits), 4) * 4, splits, flags },
    workgroups: [x, ceilDiv(g.m, tileRows(tile)), splits * ceilDiv(colGroups, x)],
  }));
}

/**
 * The register tile's convolutions (shaders/conv2d_regs.wgsl, a CPU adapter's): 64 pixels × 16
 * channels per workgroup; stride 1 with a kernel up to 5 wide takes the `_row` entry, whose
 * threads own 4 neighbouring pixels of a row and share their windows' loads.
 */
function convRegs(
  ctx: GpuContext, entry: 'conv_fwd' | 'conv_dx', rows: number, cols: number, channels: number,
  [cin0, cin1, cbias]: readonly [GpuStorage, GpuStorage, GpuStorage?], cout: GpuStorage, p: Conv2dParams, bias: boolean,
): void {
  const byRow = p.stride === 1 && p.kw <= 5;
  const groups = byRow ? ceilDiv(rows * ceilDiv(cols, 4), 16) : ceilDiv(rows * cols, 64);
  const max = ctx.limits.maxWorkgroupsPerDimension;
  const act = activationCode(p.activation);
  const key: Readonly<Record<string, number | boolean>> = byRow ? { BIAS: bias, KW: p.kw, ACT: act } : { BIAS: bias, ACT: act };
  const call = {
    key,
    outputs: { cout }, uniforms: { ...convShape(p), chunk: 0, rowSums: 0 },
    workgroups: [Math.min(groups, max), ceilDiv(channels, 16), ceilDiv(groups, max)] as const,
  };
  if (entry === 'conv_dx') {
    ctx.dispatch(conv2dRegsShader.dispatch(byRow ? 'conv_dx_row' : 'conv_dx', { ...call, inputs: { cin0, cin1 } }));
  } else {
    if (!cbias) throw new Error('conv2d: the register forward needs a third binding (the bias, or x again)');
    ctx.dispatch(conv2dRegsShader.dispatch(byRow ? 'conv_fwd_row' : 'conv_fwd', { ...call, inputs: { cin0, cin1, cbias } }));
  }
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
    applyActivation(p.activation, y);
  },
  gpu(ctx, [x, wt, bias], [y], p) {
    const g = gemms.forward(p);
    const tile = ctx.gemmTile('conv2d', g.m, g.n, g.k);
    if (tile.bk === 0) return convRegs(ctx, 'conv_fwd', p.n * p.oh, p.ow, p.k, [x, wt, p.bias ? bias : x], y, p, p.bias);
    const flags = epilogueFlags(p.bias, false, p.activation);
    convGemm(ctx, g, [x, wt, p.bias ? bias : ctx.scratch(4)], [y, ctx.scratch(4)], p, flags, 1, tile);
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
    const g = gemms.gradInput(p);
    const tile = ctx.gemmTile('conv2dGradInput', g.m, g.n, g.k);
    if (tile.bk === 0) return convRegs(ctx, 'conv_dx', p.n * p.h, p.w, p.c, [dy, wt], dx, p, false);
    convGemm(ctx, g, [dy, wt, ctx.scratch(4)], [dx, ctx.scratch(4)], p, 0, 1, tile);
  },
};

/** dW from the input and dy, summed over the batch. */
export const conv2dGradWeightKernel: Kernel<Conv2dParams> = {
  name: 'conv2dGradWeight',
  cpu([x, dy], [dw, db], p) {
    dw.fill(0);
    if (p.biasGrad) db.fill(0);
    for (let b = 0; b < p.n; b++)
      for (let o = 0; o < p.k; o++)
        for (let oy = 0; oy < p.oh; oy++)
          for (let ox = 0; ox < p.ow; ox++) {
            const g = dy[((b * p.k + o) * p.oh + oy) * p.ow + ox];
            if (p.biasGrad) db[o] += g;
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
  gpu(ctx, [x, dy], [dw, db], p) {
    // The reduction runs over every output position of the batch: split it so that enough
    // workgroups run, then sum the partial weight gradients.
    const rowSums = !!p.biasGrad;
    const g = gemms.gradWeight(p);
    const width = g.n + (rowSums ? 1 : 0);
    const tile = ctx.gemmTile('conv2dGradWeight', g.m, width, g.k);
    if (tile.bk === 0) return gradWeightRegs(ctx, x, dy, dw, db, p);
    const groups = ceilDiv(width, tileCols(tile)) * ceilDiv(g.m, tileRows(tile));
    const splits = Math.max(1, Math.min(ceilDiv(ctx.parallelism, groups), ceilDiv(g.k, 256), ctx.limits.maxWorkgroupsPerDimension));
    const flags = epilogueFlags(false, rowSums, undefined);
    const sums = rowSums ? db : ctx.scratch(4);
    if (splits === 1) {
      convGemm(ctx, g, [x, dy, ctx.scratch(4)], [dw, sums], p, flags, 1, tile);
      return;
    }
    const parts = ctx.scratch(splits * p.k * width);
    convGemm(ctx, g, [x, dy, ctx.scratch(4)], [parts, ctx.scratch(4)], p, flags, splits, tile);
    ctx.dispatch(conv2dShader.dispatch('sum_splits', {
      consts: tileConsts(tile),
      inputs: { parts }, outputs: { summed: dw, sums }, uniforms: { cols: g.n, rows: p.k, splits, rowSums: rowSums ? 1 : 0 }, workgroups: ceilDiv(p.k * width, 256),
    }));
  },
};

/**
 * The register tile's weight gradient: split over the batch, partials summed. The bias gradient
 * Σ dy is a column of ones after the weight columns, so it costs no pass of its own.
 */
function gradWeightRegs(ctx: GpuContext, x: GpuStorage, dy: GpuStorage, dw: GpuStorage, db: GpuStorage, p: Conv2dParams): void {
  const rowSums = p.biasGrad ? 1 : 0;
  const cols = p.c * p.kh * p.kw;
  const width = cols + rowSums;
  const total = p.n * p.oh * p.ow;
  const groups = ceilDiv(width, 64) * ceilDiv(p.k, 16);
  const splits = Math.max(1, Math.min(ceilDiv(ctx.parallelism, groups), ceilDiv(total, 256), ctx.limits.maxWorkgroupsPerDimension));
  const chunk = ceilDiv(total, splits);
  const parts = splits === 1 ? dw : ctx.scratch(splits * p.k * width);
  const sums = rowSums ? db : ctx.scratch(4);
  ctx.dispatch(conv2dRegsShader.dispatch('conv_dw', {
    inputs: { cin0: x, cin1: dy }, outputs: { cout: parts, csums: splits === 1 ? sums : ctx.scratch(4) },
    uniforms: { ...convShape(p), chunk, rowSums }, workgroups: [ceilDiv(width, 64), ceilDiv(p.k, 16), ceilDiv(total, chunk)],
  }));
  if (parts !== dw) {
    ctx.dispatch(conv2dRegsShader.dispatch('sum_splits', {
      inputs: { parts }, outputs: { summed: dw, sums }, uniforms: { cols, rows: p.k, splits: ceilDiv(total, chunk), rowSums }, workgroups: ceilDiv(p.k * width, 256),
    }));
  }
}

export interface Conv2dOptions {
  stride?: number;
  padding?: Padding;
  bias?: Tensor;
  /** Fused into the convolution's pass; its gradient is taken from the saved output. */
  activation?: FusedActivation;
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

export function conv2d(x: Tensor, w: Tensor, { stride = 1, padding = 'valid', bias, activation }: Conv2dOptions = {}): Tensor {
  const p = { ...conv2dParams(x, w, stride, padding, !!bias), activation };
  if (bias && bias.size !== p.k) throw new Error(`conv2d: bias has ${bias.size} values, expected ${p.k}`);
  const inputs = bias ? [x, w, bias] : [x, w];
  const [y] = launch(conv2dKernel, inputs, [[p.n, p.k, p.oh, p.ow]], p);
  return record(y, 'conv2d', inputs, (g) => {
    const gz = activation ? launch(activationGradKernel, [y, g], [y.shape], { op: activation })[0] : g;
    const q: Conv2dParams = { ...p, bias: false, activation: undefined };
    const dx = x.requiresGrad ? launch(conv2dGradInputKernel, [gz, w], [x.shape], q)[0] : null;
    // The bias gradient Σ dy comes out of the weight gradient's pass.
    const [dw, db] = launch(conv2dGradWeightKernel, [x, gz], bias ? [w.shape, bias.shape] : [w.shape], { ...q, biasGrad: !!bias });
    return bias ? [dx, dw, db] : [dx, dw];
  });
}
