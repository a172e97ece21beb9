/**
 * Elementwise ops: broadcasting binary arithmetic, activations and the other unary maps, and the
 * small in-place helpers autograd and the optimizers use. Activation gradients are dedicated
 * kernels (one pass over x and dy) rather than compositions.
 */
import { record } from "../tensor/autograd.js";
import { launch, launchInPlace, sameShape } from "../tensor/tensor.js";
import { sumTo } from "./reduce.js";
import { broadcastShapes, broadcastStrides, describe, offsetOf } from "./shape.js";
import { ceilDiv, chunks, f32, slice, u32s } from "./gpu.js";
export const binaryOps = ['add', 'sub', 'mul', 'div'];
function applyBinary(op, a, b) {
    switch (op) {
        case 'add': return a + b;
        case 'sub': return a - b;
        case 'mul': return a * b;
        case 'div': return a / b;
    }
}
/**
 * Runs an elementwise entry point of shaders/elementwise.wgsl over `out.length` contiguous
 * elements, in chunks that each fit one storage binding.
 */
function mapGpu(ctx, entry, inputs, out, scalars, key) {
    for (const c of chunks(ctx.limits, out.length)) {
        ctx.dispatch({
            shader: 'elementwise', entry, key,
            inputs: inputs.map((s) => slice(s, c.offset, c.length)), outputs: [slice(out, c.offset, c.length)],
            uniforms: [c.length, ...scalars.map(f32)], workgroups: ceilDiv(c.length, 256),
        });
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
            ctx.dispatch({
                shader: 'elementwise', entry: 'binary', key: { OP: binaryOps.indexOf(p.op), FLAT: flat },
                inputs: flat ? [slice(a, c.offset, c.length), slice(b, c.offset, c.length)] : [a, b], outputs: [slice(out, c.offset, c.length)],
                uniforms: [u32s(p.shape), u32s(p.aStrides), u32s(p.bStrides), c.length, p.shape.length],
                workgroups: ceilDiv(c.length, 256),
            });
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
export const unaryOps = ['relu', 'tanh', 'softsign', 'gelu', 'sigmoid', 'exp', 'log', 'neg', 'square', 'sqrt'];
export const activations = ['relu', 'tanh', 'softsign', 'gelu', 'sigmoid'];
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
export function applyUnary(op, x) {
    switch (op) {
        case 'relu': return x > 0 ? x : 0;
        case 'tanh': return Math.tanh(x);
        case 'softsign': return x / (1 + Math.abs(x));
        case 'gelu': return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
        case 'sigmoid': return 1 / (1 + Math.exp(-x));
        case 'exp': return Math.exp(x);
        case 'log': return Math.log(x);
        case 'neg': return -x;
        case 'square': return x * x;
        case 'sqrt': return Math.sqrt(x);
    }
}
/** d op(x) / dx, from x. */
export function unaryDerivative(op, x) {
    switch (op) {
        case 'relu': return x > 0 ? 1 : 0;
        case 'tanh': {
            const t = Math.tanh(x);
            return 1 - t * t;
        }
        case 'softsign': {
            const d = 1 + Math.abs(x);
            return 1 / (d * d);
        }
        case 'gelu': return 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
        case 'sigmoid': {
            const s = 1 / (1 + Math.exp(-x));
            return s * (1 - s);
        }
        case 'exp': return Math.exp(x);
        case 'log': return 1 / x;
        case 'neg': return -1;
        case 'square': return 2 * x;
        case 'sqrt': return 0.5 / Math.sqrt(x);
    }
}
export const unaryKernel = {
    name: 'unary',
    cpu([x], [y], { op }) {
        for (let i = 0; i < y.length; i++)
            y[i] = applyUnary(op, x[i]);
    },
    gpu(ctx, [x], [y], { op }) {
        mapGpu(ctx, 'unary', [x], y, [], { OP: unaryOps.indexOf(op) });
    },
};
/** dx = dy · op'(x). */
export const unaryGradKernel = {
    name: 'unaryGrad',
    cpu([x, dy], [dx], { op }) {
        for (let i = 0; i < dx.length; i++)
            dx[i] = dy[i] * unaryDerivative(op, x[i]);
    },
    gpu(ctx, [x, dy], [dx], { op }) {
        mapGpu(ctx, 'unary_grad', [x, dy], dx, [], { OP: unaryOps.indexOf(op) });
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
        mapGpu(ctx, 'affine', [x], y, [scale, shift]);
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
        mapGpu(ctx, 'axpy', [x], target, [alpha]);
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
