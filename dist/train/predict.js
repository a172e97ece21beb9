import { softmax } from "../kernels/softmax.js";
import { scope } from "../tensor/context.js";
import { makeBatch } from "./dataset.js";
/** Class probabilities for every example, [count × 10] row-major, read back in batches. */
export async function predict(model, data, batchSize = 256) {
    const classes = 10;
    const out = new Float32Array(data.count * classes);
    for (let start = 0; start < data.count; start += batchSize) {
        const end = Math.min(data.count, start + batchSize);
        const probs = scope(() => softmax(model.predictLogits(makeBatch(data, null, start, end, model.inputShape).x)));
        out.set(await probs.read(), start * classes);
        probs.dispose();
    }
    return out;
}
