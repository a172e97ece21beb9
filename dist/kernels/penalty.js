import { add, scale, square } from "./elementwise.js";
import { sum } from "./reduce.js";
export function l2Penalty(weights, lambda) {
    let total = null;
    for (const w of weights) {
        const s = sum(square(w));
        total = total ? add(total, s) : s;
    }
    if (!total)
        throw new Error('l2Penalty: no weights given');
    return scale(total, lambda);
}
