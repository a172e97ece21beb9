/**
 * Batch normalisation over [n, c, s] (s = h·w for conv maps, 1 for dense features). Statistics
 * take one reduction pass; the backward is one kernel instead of the dozen ops composition costs.
 */
import { record } from "../tensor/autograd.js";
import { launch, launchInPlace } from "../tensor/tensor.js";
import { describe } from "./shape.js";
import { ceilDiv, chunks, f32, slice } from "./gpu.js";
/** Per-channel mean and biased variance. */
export const bnStatsKernel = {
    name: 'bnStats',
    cpu([x], [mean, variance], { n, c, s }) {
        const count = n * s;
        for (let ch = 0; ch < c; ch++) {
            let sum = 0;
            for (let b = 0; b < n; b++)
                for (let i = 0; i < s; i++)
                    sum += x[(b * c + ch) * s + i];
            const mu = sum / count;
            let sq = 0;
            for (let b = 0; b < n; b++)
                for (let i = 0; i < s; i++) {
                    const d = x[(b * c + ch) * s + i] - mu;
                    sq += d * d;
                }
            mean[ch] = mu;
            variance[ch] = sq / count;
        }
    },
    gpu(ctx, [x], [mean, variance], { n, c, s }) {
        ctx.dispatch({ shader: 'batchnorm', entry: 'bn_stats', inputs: [x], outputs: [mean, variance], uniforms: [n, c, s], workgroups: c });
    },
};
/** y = γ (x − μ) / √(σ² + ε) + β. */
export const bnForwardKernel = {
    name: 'bnForward',
    cpu([x, mean, variance, gamma, beta], [y], { n, c, s, eps }) {
        for (let b = 0; b < n; b++)
            for (let ch = 0; ch < c; ch++) {
                const inv = 1 / Math.sqrt(variance[ch] + eps);
                for (let i = 0; i < s; i++) {
                    const at = (b * c + ch) * s + i;
                    y[at] = gamma[ch] * (x[at] - mean[ch]) * inv + beta[ch];
                }
            }
    },
    gpu(ctx, inputs, [y], { n, c, s, eps }) {
        ctx.dispatch({ shader: 'batchnorm', entry: 'bn_forward', inputs, outputs: [y], uniforms: [n, c, s, f32(eps)], workgroups: ceilDiv(y.length, 256) });
    },
};
/** Training-mode backward (μ and σ² depend on x): dx, dγ, dβ in one kernel. */
export const bnBackwardKernel = {
    name: 'bnBackward',
    cpu([x, dy, mean, variance, gamma], [dx, dgamma, dbeta], { n, c, s, eps }) {
        const count = n * s;
        for (let ch = 0; ch < c; ch++) {
            const inv = 1 / Math.sqrt(variance[ch] + eps);
            let sumDy = 0;
            let sumDyXhat = 0;
            for (let b = 0; b < n; b++)
                for (let i = 0; i < s; i++) {
                    const at = (b * c + ch) * s + i;
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * (x[at] - mean[ch]) * inv;
                }
            dgamma[ch] = sumDyXhat;
            dbeta[ch] = sumDy;
            for (let b = 0; b < n; b++)
                for (let i = 0; i < s; i++) {
                    const at = (b * c + ch) * s + i;
                    const xhat = (x[at] - mean[ch]) * inv;
                    dx[at] = ((gamma[ch] * inv) / count) * (count * dy[at] - sumDy - xhat * sumDyXhat);
                }
        }
    },
    gpu(ctx, inputs, outputs, { n, c, s, eps }) {
        ctx.dispatch({ shader: 'batchnorm', entry: 'bn_backward', inputs, outputs, uniforms: [n, c, s, f32(eps)], workgroups: c });
    },
};
/** running ← momentum · running + (1 − momentum) · correction · batch, in place. */
export const emaKernel = {
    name: 'ema',
    cpu([batch], [running], { momentum, correction }) {
        for (let i = 0; i < running.length; i++)
            running[i] = momentum * running[i] + (1 - momentum) * correction * batch[i];
    },
    gpu(ctx, [batch], [running], { momentum, correction }) {
        for (const k of chunks(ctx.limits, running.length)) {
            ctx.dispatch({
                shader: 'batchnorm', entry: 'ema', inputs: [slice(batch, k.offset, k.length)], outputs: [slice(running, k.offset, k.length)],
                uniforms: [k.length, f32(momentum), f32((1 - momentum) * correction)], workgroups: ceilDiv(k.length, 256),
            });
        }
    },
};
function bnShape(x) {
    if (x.shape.length !== 2 && x.shape.length !== 4)
        throw new Error(`batchNorm: expected [n, c] or [n, c, h, w], got ${describe(x.shape)}`);
    const [n, c] = x.shape;
    return { n, c, s: x.shape.length === 4 ? x.shape[2] * x.shape[3] : 1 };
}
/**
 * Training mode normalises with the batch's statistics and folds them into the running ones;
 * inference mode uses the running statistics and records no gradient through them.
 */
export function batchNorm(x, st, training) {
    const shape = bnShape(x);
    const p = { ...shape, eps: st.eps };
    if (st.gamma.size !== shape.c)
        throw new Error(`batchNorm: ${st.gamma.size} channels configured, input ${describe(x.shape)} has ${shape.c}`);
    if (!training) {
        // Evaluation only: no gradient rule is recorded through the running statistics.
        return launch(bnForwardKernel, [x, st.runningMean, st.runningVar, st.gamma, st.beta], [x.shape], p)[0];
    }
    const [mean, variance] = launch(bnStatsKernel, [x], [[shape.c], [shape.c]], shape);
    const count = shape.n * shape.s;
    launchInPlace(emaKernel, [mean], [st.runningMean], { momentum: st.momentum, correction: 1 });
    launchInPlace(emaKernel, [variance], [st.runningVar], { momentum: st.momentum, correction: count > 1 ? count / (count - 1) : 1 });
    const [y] = launch(bnForwardKernel, [x, mean, variance, st.gamma, st.beta], [x.shape], p);
    return record(y, 'batchNorm', [x, st.gamma, st.beta], (g) => launch(bnBackwardKernel, [x, g, mean, variance, st.gamma], [x.shape, [shape.c], [shape.c]], p));
}
export const batchNormKernels = {
    bnStats: bnStatsKernel,
    bnForward: bnForwardKernel,
    bnBackward: bnBackwardKernel,
    ema: emaKernel,
};
