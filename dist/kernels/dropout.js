/** Inverted dropout with a counter-based mask: the backward draws the same mask again. */
import { record } from "../tensor/autograd.js";
import { launch } from "../tensor/tensor.js";
import { hash32, uniformAt } from "./random.js";
import { ceilDiv, chunks, f32, slice } from "./gpu.js";
/** y = x / (1 − rate) where the element's uniform ≥ rate, else 0. Its own backward. */
export const dropoutKernel = {
    name: 'dropout',
    cpu([x], [y], { rate, seed }) {
        const keep = 1 / (1 - rate);
        for (let i = 0; i < y.length; i++)
            y[i] = uniformAt(seed, i) >= rate ? x[i] * keep : 0;
    },
    gpu(ctx, [x], [y], { rate, seed }) {
        // uniform ≥ rate ⟺ hash ≥ rate · 2³² ⟺ hash ≥ ⌈rate · 2³²⌉: the same mask, in integers.
        const threshold = Math.min(Math.ceil(rate * 2 ** 32), 0xffffffff);
        for (const k of chunks(ctx.limits, y.length)) {
            ctx.dispatch({
                shader: 'dropout', entry: 'dropout', inputs: [slice(x, k.offset, k.length)], outputs: [slice(y, k.offset, k.length)],
                uniforms: [k.length, k.offset, hash32(seed >>> 0), threshold, f32(1 / (1 - rate))], workgroups: ceilDiv(k.length, 256),
            });
        }
    },
};
export function dropout(x, rate, seed) {
    if (!(rate >= 0 && rate < 1))
        throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
    if (rate === 0)
        return x;
    const p = { rate, seed: seed >>> 0 };
    const [y] = launch(dropoutKernel, [x], [x.shape], p);
    return record(y, 'dropout', [x], (g) => [launch(dropoutKernel, [g], [g.shape], p)[0]]);
}
