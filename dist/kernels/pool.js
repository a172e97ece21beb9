/** Max and average pooling over square windows, NCHW, 'valid' padding (Keras's default). */
import { record } from "../tensor/autograd.js";
import { launch } from "../tensor/tensor.js";
import { describe } from "./shape.js";
import { ceilDiv, f32 } from "./gpu.js";
/** Index, within the plane, of the first maximum of the window at (oy, ox). */
function argmaxInWindow(x, base, oy, ox, p) {
    let best = -Infinity;
    let at = (oy * p.stride) * p.w + ox * p.stride;
    for (let ky = 0; ky < p.size; ky++)
        for (let kx = 0; kx < p.size; kx++) {
            const i = (oy * p.stride + ky) * p.w + ox * p.stride + kx;
            if (x[base + i] > best) {
                best = x[base + i];
                at = i;
            }
        }
    return at;
}
/** One thread per element of `out` (the pooled map forward, the input map backward). */
function poolGpu(ctx, entry, inputs, out, p) {
    ctx.dispatch({
        shader: 'pool', entry, inputs, outputs: [out], uniforms: [p.planes, p.h, p.w, p.size, p.stride, p.oh, p.ow, f32(-Infinity)],
        workgroups: ceilDiv(out.length, 256),
    });
}
export const maxPoolKernel = {
    name: 'maxPool',
    cpu([x], [y], p) {
        for (let q = 0; q < p.planes; q++)
            for (let oy = 0; oy < p.oh; oy++)
                for (let ox = 0; ox < p.ow; ox++) {
                    const base = q * p.h * p.w;
                    y[(q * p.oh + oy) * p.ow + ox] = x[base + argmaxInWindow(x, base, oy, ox, p)];
                }
    },
    gpu(ctx, [x], [y], p) {
        poolGpu(ctx, 'max_pool', [x], y, p);
    },
};
/** Routes each window's gradient to its first maximum, found again from x (no index tensor). */
export const maxPoolGradKernel = {
    name: 'maxPoolGrad',
    cpu([x, dy], [dx], p) {
        dx.fill(0);
        for (let q = 0; q < p.planes; q++)
            for (let oy = 0; oy < p.oh; oy++)
                for (let ox = 0; ox < p.ow; ox++) {
                    const base = q * p.h * p.w;
                    dx[base + argmaxInWindow(x, base, oy, ox, p)] += dy[(q * p.oh + oy) * p.ow + ox];
                }
    },
    gpu(ctx, [x, dy], [dx], p) {
        poolGpu(ctx, 'max_pool_grad', [x, dy], dx, p);
    },
};
export const avgPoolKernel = {
    name: 'avgPool',
    cpu([x], [y], p) {
        const inv = 1 / (p.size * p.size);
        for (let q = 0; q < p.planes; q++)
            for (let oy = 0; oy < p.oh; oy++)
                for (let ox = 0; ox < p.ow; ox++) {
                    let acc = 0;
                    for (let ky = 0; ky < p.size; ky++)
                        for (let kx = 0; kx < p.size; kx++)
                            acc += x[(q * p.h + oy * p.stride + ky) * p.w + ox * p.stride + kx];
                    y[(q * p.oh + oy) * p.ow + ox] = acc * inv;
                }
    },
    gpu(ctx, [x], [y], p) {
        poolGpu(ctx, 'avg_pool', [x], y, p);
    },
};
export const avgPoolGradKernel = {
    name: 'avgPoolGrad',
    cpu([dy], [dx], p) {
        const inv = 1 / (p.size * p.size);
        dx.fill(0);
        for (let q = 0; q < p.planes; q++)
            for (let oy = 0; oy < p.oh; oy++)
                for (let ox = 0; ox < p.ow; ox++) {
                    const g = dy[(q * p.oh + oy) * p.ow + ox] * inv;
                    for (let ky = 0; ky < p.size; ky++)
                        for (let kx = 0; kx < p.size; kx++)
                            dx[(q * p.h + oy * p.stride + ky) * p.w + ox * p.stride + kx] += g;
                }
    },
    gpu(ctx, [dy], [dx], p) {
        poolGpu(ctx, 'avg_pool_grad', [dy], dx, p);
    },
};
export function poolParams(x, size, stride) {
    if (x.shape.length !== 4)
        throw new Error(`pool: expected [n, c, h, w], got ${describe(x.shape)}`);
    const [n, c, h, w] = x.shape;
    const oh = Math.floor((h - size) / stride) + 1;
    const ow = Math.floor((w - size) / stride) + 1;
    if (oh <= 0 || ow <= 0)
        throw new Error(`pool: a ${size}×${size} window does not fit ${describe(x.shape)}`);
    return { planes: n * c, h, w, size, stride, oh, ow };
}
export function maxPool2d(x, size = 2, stride = size) {
    const p = poolParams(x, size, stride);
    const [y] = launch(maxPoolKernel, [x], [[x.shape[0], x.shape[1], p.oh, p.ow]], p);
    return record(y, 'maxPool2d', [x], (g) => [launch(maxPoolGradKernel, [x, g], [x.shape], p)[0]]);
}
export function avgPool2d(x, size = 2, stride = size) {
    const p = poolParams(x, size, stride);
    const [y] = launch(avgPoolKernel, [x], [[x.shape[0], x.shape[1], p.oh, p.ow]], p);
    return record(y, 'avgPool2d', [x], (g) => [launch(avgPoolGradKernel, [g], [x.shape], p)[0]]);
}
