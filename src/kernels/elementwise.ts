/**
 * Elementwise ops: broadcasting binary arithmetic, activations and the other unary maps, and the
 * small in-place helpers autograd and the optimizers use. Activation gradients are dedicated
 * kernels (one pass over x and dy) rather than compositions.
 */
import { record } from '../tensor/autograd.ts';
import { launch, launchInPlace, sameShape, Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { sumTo } from './reduce.ts';
import { broadcastShapes, broadcastStrides, describe, offsetOf } from './shape.ts';
import { block, opCodes, shaderFamily } from './spec.ts';
import { ceilDiv, chunks, slice } from './gpu.ts';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
export const binaryOps: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div'];
export const binaryCodes = opCodes('BINARY', binaryOps);

export interface BinaryParams {
  op: BinaryOp;
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
  }
}

export const binaryKernel: Kernel<BinaryParams> = {
  name: 'binary',
  cpu([a, b], [out], p) {
    for (let i = 0; i < out.length; i++) {
      out[i] = applyBinary(p.op, a[offsetOf(i, p.shape, p.aStrides)], b[offsetOf(i, p.shape, p.bStrides)]);
    }
  },
  gpu(ctx, [a, b], [out], p) {
    // Operands of the output's own shape need no stride walk, and can be split into chunks.
    const contiguous = broadcastStrides(p.shape, p.shape);
    const flat = sameShape(p.aStrides, contiguous) && sameShape(p.bStrides, contiguous);
    for (const c of flat ? chunks(ctx.limits, out.length) : [{ offset: 0, length: out.length }]) {
      ctx.dispatch(elementwiseShader.dispatch('binary', {
        key: { OP: binaryCodes.code(p.op), FLAT: flat },
        inputs: flat ? { a: slice(a, c.offset, c.length), b: slice(b, c.offset, c.length) } : { a, b }, outputs: { y: slice(out, c.offset, c.length) },
        uniforms: { shape: p.shape, aStrides: p.aStrides, bStrides: p.bStrides, n: c.length, rank: p.shape.length },
        workgroups: ceilDiv(c.length, 256),
      }));
    }
  },
};

function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const params = { op, shape, aStrides: broadcastStrides(a.shape, shape), bStrides: broadcastStrides(b.shape, shape) };
  const [out] = launch(binaryKernel, [a, b], [shape], params);
  return record(out, op, [a, b], (g) => {
    switch (op) {
      case 'add': return [sumTo(g, a.shape), sumTo(g, b.shape)];
      case 'sub': return [sumTo(g, a.shape), sumTo(scale(g, -1), b.shape)];
      case 'mul': return [sumTo(mul(g, b), a.shape), sumTo(mul(g, a), b.shape)];
      case 'div': {
        const gb = neg(div(mul(g, out), b));
        return [sumTo(div(g, b), a.shape), sumTo(gb, b.shape)];
      }
    }
  });
}

export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b);

/**
 * erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): WGSL has no erf, and the reference must
 * compute what the shader computes. Keras's default GELU is the exact (erf) form.
 */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return s * (1 - poly * Math.exp(-a * a));
}

/**
 * The unary ops, declared once: the reference and its derivative, the inputs it is defined on
 * (for the tests), and how the WASM backend runs it (`lanes`: four at a time, `scalar`: per
 * element in f64, both in assembly/elementwise.ts, which the build checks; `reference`: this
 * file's loop). The WGSL is one `case UNARY_<OP>` line in shaders/elementwise.wgsl returning
 * (op(x), op'(x)); the loader refuses the family file without it.
 */
export interface UnaryOpSpec {
  f(x: number): number;
  /** d f / dx, from x */
  df(x: number): number;
  domain: 'real' | 'positive';
  wasm: 'lanes' | 'scalar' | 'reference';
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const sigmoidOf = (x: number) => 1 / (1 + Math.exp(-x));

export const unarySpecs = {
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), domain: 'real', wasm: 'lanes' },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2, domain: 'real', wasm: 'scalar' },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2, domain: 'real', wasm: 'scalar' },
  gelu: { f: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)), df: (x) => 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / SQRT_2PI, domain: 'real', wasm: 'scalar' },
  sigmoid: { f: sigmoidOf, df: (x) => sigmoidOf(x) * (1 - sigmoidOf(x)), domain: 'real', wasm: 'scalar' },
  exp: { f: Math.exp, df: Math.exp, domain: 'real', wasm: 'scalar' },
  log: { f: Math.log, df: (x) => 1 / x, domain: 'positive', wasm: 'scalar' },
  neg: { f: (x) => -x, df: () => -1, domain: 'real', wasm: 'lanes' },
  square: { f: (x) => x * x, df: (x) => 2 * x, domain: 'real', wasm: 'lanes' },
  sqrt: { f: Math.sqrt, df: (x) => 0.5 / Math.sqrt(x), domain: 'positive', wasm: 'lanes' },
} as const satisfies Record<string, UnaryOpSpec>;

export type UnaryOp = keyof typeof unarySpecs;
export const unaryOps = Object.keys(unarySpecs) as UnaryOp[];
/** An op's declaration, widened: code that must handle every kind of op reads it through this. */
export const unarySpec = (op: UnaryOp): UnaryOpSpec => unarySpecs[op];
export const unaryCodes = opCodes('UNARY', unaryOps);
export type Activation = 'relu' | 'tanh' | 'softsign' | 'gelu' | 'sigmoid';
export const activations: readonly Activation[] = ['relu', 'tanh', 'softsign', 'gelu', 'sigmoid'];

const count = block('count', { n: 'u32' });
/** shaders/elementwise.wgsl: its uniform blocks, bindings by name, and the op codes it switches on. */
export const elementwiseShader = shaderFamily('elementwise', {
  binary: { uniforms: block('broadcasting', { shape: 'u32x8', aStrides: 'u32x8', bStrides: 'u32x8', n: 'u32', rank: 'u32' }), inputs: ['a', 'b'], outputs: ['y'] },
  unary: { uniforms: count, inputs: ['x'], outputs: ['y'] },
  unary_grad: { uniforms: count, inputs: ['x', 'dy'], outputs: ['dx'] },
  affine: { uniforms: block('scaleShift', { n: 'u32', scale: 'f32', shift: 'f32' }), inputs: ['x'], outputs: ['y'] },
  axpy: { uniforms: block('accumulate', { n: 'u32', alpha: 'f32' }), inputs: ['x'], outputs: ['y'] },
}, [binaryCodes, unaryCodes]);

export interface UnaryParams {
  op: UnaryOp;
}

export const unaryKernel: Kernel<UnaryParams> = {
  name: 'unary',
  cpu([x], [y], { op }) {
    const f = unarySpec(op).f;
    for (let i = 0; i < y.length; i++) y[i] = f(x[i]);
  },
  gpu(ctx, [x], [y], { op }) {
    for (const c of chunks(ctx.limits, y.length)) {
      ctx.dispatch(elementwiseShader.dispatch('unary', {
        key: { OP: unaryCodes.code(op) }, inputs: { x: slice(x, c.offset, c.length) }, outputs: { y: slice(y, c.offset, c.length) },
        uniforms: { n: c.length }, workgroups: ceilDiv(c.length, 256),
      }));
    }
  },
};

/** dx = dy · op'(x). */
export const unaryGradKernel: Kernel<UnaryParams> = {
  name: 'unaryGrad',
  cpu([x, dy], [dx], { op }) {
    const df = unarySpec(op).df;
    for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * df(x[i]);
  },
  gpu(ctx, [x, dy], [dx], { op }) {
    for (const c of chunks(ctx.limits, dx.length)) {
      ctx.dispatch(elementwiseShader.dispatch('unary_grad', {
        key: { OP: unaryCodes.code(op) }, inputs: { x: slice(x, c.offset, c.length), dy: slice(dy, c.offset, c.length) },
        outputs: { dx: slice(dx, c.offset, c.length) }, uniforms: { n: c.length }, workgroups: ceilDiv(c.length, 256),
      }));
    }
  },
};

export function unary(op: UnaryOp, x: Tensor): Tensor {
  const [y] = launch(unaryKernel, [x], [x.shape], { op });
  return record(y, op, [x], (g) => [launch(unaryGradKernel, [x, g], [x.shape], { op })[0]]);
}

export const relu = (x: Tensor): Tensor => unary('relu', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const softsign = (x: Tensor): Tensor => unary('softsign', x);
export const gelu = (x: Tensor): Tensor => unary('gelu', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const neg = (x: Tensor): Tensor => unary('neg', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);

export interface AffineParams {
  scale: number;
  shift: number;
}

/** y = x · scale + shift, with scalar constants. */
export const affineKernel: Kernel<AffineParams> = {
  name: 'affine',
  cpu([x], [y], { scale, shift }) {
    for (let i = 0; i < y.length; i++) y[i] = x[i] * scale + shift;
  },
  gpu(ctx, [x], [y], { scale, shift }) {
    for (const c of chunks(ctx.limits, y.length)) {
      ctx.dispatch(elementwiseShader.dispatch('affine', {
        inputs: { x: slice(x, c.offset, c.length) }, outputs: { y: slice(y, c.offset, c.length) },
        uniforms: { n: c.length, scale, shift }, workgroups: ceilDiv(c.length, 256),
      }));
    }
  },
};

export function affine(x: Tensor, scaleBy: number, shift: number): Tensor {
  const [y] = launch(affineKernel, [x], [x.shape], { scale: scaleBy, shift });
  return record(y, 'affine', [x], (g) => [scale(g, scaleBy)]);
}

export const scale = (x: Tensor, s: number): Tensor => affine(x, s, 0);

export function copy(x: Tensor): Tensor {
  return affine(x, 1, 0);
}

export interface AxpyParams {
  alpha: number;
}

/** target += alpha · x, in place: gradient accumulation and metric sums without a new buffer. */
export const axpyKernel: Kernel<AxpyParams> = {
  name: 'axpy',
  cpu([x], [target], { alpha }) {
    for (let i = 0; i < target.length; i++) target[i] += alpha * x[i];
  },
  gpu(ctx, [x], [target], { alpha }) {
    for (const c of chunks(ctx.limits, target.length)) {
      ctx.dispatch(elementwiseShader.dispatch('axpy', {
        inputs: { x: slice(x, c.offset, c.length) }, outputs: { y: slice(target, c.offset, c.length) },
        uniforms: { n: c.length, alpha }, workgroups: ceilDiv(c.length, 256),
      }));
    }
  },
};

export function addInto(target: Tensor, x: Tensor, alpha = 1): void {
  if (!sameShape(target.shape, x.shape)) {
    throw new Error(`addInto: cannot add ${describe(x.shape)} into ${describe(target.shape)}`);
  }
  launchInPlace(axpyKernel, [x], [target], { alpha });
}

export function reshape(x: Tensor, shape: Shape): Tensor {
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  const y = x.view(resolved);
  return record(y, 'reshape', [x], (g) => [g.view(x.shape)]);
}

export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.shape[0], -1]);
}
