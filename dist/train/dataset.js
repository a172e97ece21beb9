/** Batches of images on the host, uploaded one batch at a time. */
import { Tensor } from "../tensor/tensor.js";
/** Gathers examples `order[start..end)` into one batch tensor of `[n, ...inputShape]` and a label tensor. */
export function makeBatch(data, order, start, end, inputShape) {
    const n = end - start;
    const pixels = inputShape.reduce((p, d) => p * d, 1);
    if (data.images.length !== data.count * pixels) {
        throw new Error(`dataset holds ${data.images.length} values for ${data.count} examples; the model expects ${pixels} per example`);
    }
    const x = new Float32Array(n * pixels);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
        const src = order ? order[start + i] : start + i;
        x.set(data.images.subarray(src * pixels, (src + 1) * pixels), i * pixels);
        y[i] = data.labels[src];
    }
    return { x: Tensor.from(x, [n, ...inputShape]), y: Tensor.from(y, [n]), size: n };
}
