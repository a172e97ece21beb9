/**
 * Elementwise ops: broadcasting binary arithmetic, activations and the other unary maps, and the
 * small in-place helpers autograd and the optimizers use. Activation gradients are dedicated
 * kernels (one pass over x and dy) rather than compositions.
 */
import { record } from "../tensor/autograd.js";
import { launch, launchInPlace, sameShape } from "../tensor/tensor.js";
import { sumTo } from "./reduce.js";
import { broadcastShapes, broadcastStrides, describe, offsetOf } from "./shape.js";
import { block, opCodes, shaderFamily } from "./spec.js";
import { ceilDiv, chunks, slice } from "./gpu.js";
export const binaryOps = ['add', 'sub', 'mul', 'div'];
export const binaryCodes = opCodes('BINARY', binaryOps);
function applyBinary(op, a, b) {
    switch (op) {
        case 'add': return a + b;
        case 'sub': return a - b;
        case 'mul': return a * b;
        case 'div': return a / b;
    }
}
export const binaryKernel = {
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
function binary(op, a, b) {
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
export const add = (a, b) => binary('add', a, b);
export const sub = (a, b) => binary('sub', a, b);
export const mul = (a, b) => binary('mul', a, b);
export const div = (a, b) => binary('div', a, b);
/**
 * erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): WGSL has no erf, and the reference must
 * compute what the shader computes. Keras's default GELU is the exact (erf) form.
 */
export function erf(x) {
    const s = x < 0 ? -1 : 1;
    const a = Math.abs(x);
    const t = 1 / (1 + 0.3275911 * a);
    const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
    return s * (1 - poly * Math.exp(-a * a));
}
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const sigmoidOf = (x) => 1 / (1 + Math.exp(-x));
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
};
export const unaryOps = Object.keys(unarySpecs);
/** An op's declaration, widened: code that must handle every kind of op reads it through this. */
export const unarySpec = (op) => unarySpecs[op];
export const unaryCodes = opCodes('UNARY', unaryOps);
export const activations = ['relu', 'tanh', 'softsign', 'gelu', 'sigmoid'];
const count = block('count', { n: 'u32' });
/** shaders/elementwise.wgsl: its uniform blocks, bindings by name, and the op codes it switches on. */
export const elementwiseShader = shaderFamily('elementwise', {
    binary: { uniforms: block('broadcasting', { shape: 'u32x8', aStrides: 'u32x8', bStrides: 'u32x8', n: 'u32', rank: 'u32' }), inputs: ['a', 'b'], outputs: ['y'] },
    unary: { uniforms: count, inputs: ['x'], outputs: ['y'] },
    unary_grad: { uniforms: count, inputs: ['x', 'dy'], outputs: ['dx'] },
    affine: { uniforms: block('scaleShift', { n: 'u32', scale: 'f32', shift: 'f32' }), inputs: ['x'], outputs: ['y'] },
    axpy: { uniforms: block('accumulate', { n: 'u32', alpha: 'f32' }), inputs: ['x'], outputs: ['y'] },
}, [binaryCodes, unaryCodes]);
export const unaryKernel = {
    name: 'unary',
    cpu([x], [y], { op }) {
        const f = unarySpec(op).f;
        for (let i = 0; i < y.length; i++)
            y[i] = f(x[i]);
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
export const unaryGradKernel = {
    name: 'unaryGrad',
    cpu([x, dy], [dx], { op }) {
        const df = unarySpec(op).df;
        for (let i = 0; i < dx.length; i++)
            dx[i] = dy[i] * df(x[i]);
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
export function unary(op, x) {
    const [y] = launch(unaryKernel, [x], [x.shape], { op });
    return record(y, op, [x], (g) => [launch(unaryGradKernel, [x, g], [x.shape], { op })[0]]);
}
export const relu = (x) => unary('relu', x);
export const tanh = (x) => unary('tanh', x);
export const softsign = (x) => unary('softsign', x);
export const gelu = (x) => unary('gelu', x);
export const sigmoid = (x) => unary('sigmoid', x);
export const exp = (x) => unary('exp', x);
export const log = (x) => unary('log', x);
export const neg = (x) => unary('neg', x);
export const square = (x) => unary('square', x);
export const sqrt = (x) => unary('sqrt', x);
/** y = x · scale + shift, with scalar constants. */
export const affineKernel = {
    name: 'affine',
    cpu([x], [y], { scale, shift }) {
        for (let i = 0; i < y.length; i++)
            y[i] = x[i] * scale + shift;
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
export function affine(x, scaleBy, shift) {
    const [y] = launch(affineKernel, [x], [x.shape], { scale: scaleBy, shift });
    return record(y, 'affine', [x], (g) => [scale(g, scaleBy)]);
}
export const scale = (x, s) => affine(x, s, 0);
export function copy(x) {
    return affine(x, 1, 0);
}
/** target += alpha · x, in place: gradient accumulation and metric sums without a new buffer. */
export const axpyKernel = {
    name: 'axpy',
    cpu([x], [target], { alpha }) {
        for (let i = 0; i < target.length; i++)
            target[i] += alpha * x[i];
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
export function addInto(target, x, alpha = 1) {
    if (!sameShape(target.shape, x.shape)) {
        throw new Error(`addInto: cannot add ${describe(x.shape)} into ${describe(target.shape)}`);
    }
    launchInPlace(axpyKernel, [x], [target], { alpha });
}
export function reshape(x, shape) {
    const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
    const y = x.view(resolved);
    return record(y, 'reshape', [x], (g) => [g.view(x.shape)]);
}
export function flatten(x) {
    return reshape(x, [x.shape[0], -1]);
}
