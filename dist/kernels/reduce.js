/** Sums over axes: the backward of broadcasting, bias gradients, losses and penalties. */
import { record } from "../tensor/autograd.js";
import { launch, sameShape, sizeOf } from "../tensor/tensor.js";
import { broadcastStrides, describe, offsetOf } from "./shape.js";
import { ceilDiv, f32, u32s } from "./gpu.js";
/**
 * The kept and the summed axes of a sumTo, size-1 axes dropped and neighbours that are contiguous
 * in both the input and the output merged: the WGSL walks at most a few axes per element.
 */
function sumPlan(shape, outStrides) {
    const inStrides = broadcastStrides(shape, shape);
    const kept = [];
    const red = [];
    shape.forEach((size, d) => {
        if (size === 1)
            return;
        const list = outStrides[d] === 0 ? red : kept;
        const axis = { size, inStride: inStrides[d], outStride: outStrides[d] };
        const last = list[list.length - 1];
        if (last && last.inStride === size * axis.inStride && last.outStride === size * axis.outStride) {
            last.size *= size;
            last.inStride = axis.inStride;
            last.outStride = axis.outStride;
        }
        else
            list.push(axis);
    });
    return { kept, red };
}
export const sumToKernel = {
    name: 'sumTo',
    cpu([x], [y], p) {
        y.fill(0);
        for (let i = 0; i < x.length; i++)
            y[offsetOf(i, p.shape, p.outStrides)] += x[i];
        for (let i = 0; i < y.length; i++)
            y[i] *= p.scale;
    },
    gpu(ctx, [x], [y], p) {
        const plan = sumPlan(p.shape, p.outStrides);
        const count = plan.red.reduce((n, a) => n * a.size, 1);
        // Long reductions get a workgroup each; short ones a thread each.
        const group = count > 64;
        ctx.dispatch({
            shader: 'reduce', entry: group ? 'sum_group' : 'sum_thread', inputs: [x], outputs: [y],
            uniforms: [
                u32s(plan.kept.map((a) => a.size)), u32s(plan.kept.map((a) => a.inStride)), u32s(plan.kept.map((a) => a.outStride)),
                u32s(plan.red.map((a) => a.size)), u32s(plan.red.map((a) => a.inStride)),
                plan.kept.length, plan.red.length, y.length, count, f32(p.scale),
            ],
            workgroups: group ? y.length : ceilDiv(y.length, 256),
        });
    },
};
function reduceTo(x, shape, scale) {
    if (shape.length > x.shape.length)
        throw new Error(`cannot reduce ${describe(x.shape)} to ${describe(shape)}`);
    const padded = [...new Array(x.shape.length - shape.length).fill(1), ...shape];
    padded.forEach((d, i) => {
        if (d !== 1 && d !== x.shape[i])
            throw new Error(`cannot reduce ${describe(x.shape)} to ${describe(shape)}`);
    });
    const [y] = launch(sumToKernel, [x], [shape], { shape: [...x.shape], outStrides: broadcastStrides(padded, x.shape), scale });
    return record(y, 'sumTo', [x], (g) => [broadcastTo(g, x.shape, scale)]);
}
/** Sums `x` down to `shape` (which broadcasts to x's shape); the identity when shapes agree. */
export function sumTo(x, shape) {
    return sameShape(x.shape, shape) ? x : reduceTo(x, shape, 1);
}
export function sum(x) {
    return reduceTo(x, [1], 1);
}
export function mean(x) {
    return reduceTo(x, [1], 1 / x.size);
}
export const broadcastKernel = {
    name: 'broadcast',
    cpu([x], [y], p) {
        for (let i = 0; i < y.length; i++)
            y[i] = p.scale * x[offsetOf(i, p.shape, p.strides)];
    },
    gpu(ctx, [x], [y], p) {
        ctx.dispatch({
            shader: 'reduce', entry: 'broadcast', inputs: [x], outputs: [y],
            uniforms: [u32s(p.shape), u32s(p.strides), y.length, p.shape.length, f32(p.scale)],
            workgroups: ceilDiv(y.length, 256),
        });
    },
};
/** Repeats `x` along its size-1 axes to `shape` (times `scale`). */
export function broadcastTo(x, shape, scale = 1) {
    if (sameShape(x.shape, shape) && scale === 1)
        return x;
    if (sizeOf(shape) < x.size)
        throw new Error(`cannot broadcast ${describe(x.shape)} to ${describe(shape)}`);
    const [y] = launch(broadcastKernel, [x], [shape], { shape: [...shape], strides: broadcastStrides(x.shape, shape), scale });
    return record(y, 'broadcast', [x], (g) => [reduceTo(g, x.shape, scale)]);
}
