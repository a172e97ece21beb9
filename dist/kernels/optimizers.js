import { ceilDiv, chunks, f32, slice } from "./gpu.js";
/** One in-place update of shaders/optimizers.wgsl over the parameter, chunked at the binding limit. */
function updateGpu(ctx, entry, g, targets, scalars, key) {
    for (const k of chunks(ctx.limits, g.length)) {
        ctx.dispatch({
            shader: 'optimizers', entry, key, inputs: [slice(g, k.offset, k.length)], outputs: targets.map((t) => slice(t, k.offset, k.length)),
            uniforms: [k.length, ...scalars.map(f32)], workgroups: ceilDiv(k.length, 256),
        });
    }
}
/** p ← p − lr (g + wd p). Inputs [grad]; targets [param]. */
export const sgdKernel = {
    name: 'sgd',
    cpu([g], [p], { lr, weightDecay }) {
        for (let i = 0; i < p.length; i++)
            p[i] -= lr * (g[i] + weightDecay * p[i]);
    },
    gpu(ctx, [g], targets, { lr, weightDecay }) {
        updateGpu(ctx, 'sgd', g, targets, [lr, weightDecay]);
    },
};
/**
 * Keras's form: v ← μ v − lr g; p ← p + v, or p ← p + μ v − lr g with Nesterov.
 * Inputs [grad]; targets [param, velocity].
 */
export const momentumKernel = {
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
/** Adam / AdamW (Kingma & Ba; Loshchilov & Hutter). Inputs [grad]; targets [param, m, v]. */
export const adamKernel = {
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
