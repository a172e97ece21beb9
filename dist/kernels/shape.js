/** NumPy broadcasting of two shapes; throws with both shapes named when they do not fit. */
export function broadcastShapes(a, b) {
    const rank = Math.max(a.length, b.length);
    const out = [];
    for (let i = 0; i < rank; i++) {
        const da = a[a.length - rank + i] ?? 1;
        const db = b[b.length - rank + i] ?? 1;
        if (da !== db && da !== 1 && db !== 1) {
            throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
        }
        out.push(Math.max(da, db));
    }
    return out;
}
/** Row-major strides of `shape` seen through an output of rank `rank`; 0 along broadcast axes. */
export function broadcastStrides(shape, out) {
    const strides = new Array(out.length).fill(0);
    let stride = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
        const axis = out.length - shape.length + i;
        strides[axis] = shape[i] === 1 && out[axis] !== 1 ? 0 : stride;
        stride *= shape[i];
    }
    return strides;
}
/** Turns a linear index over `shape` into an offset through `strides`. */
export function offsetOf(index, shape, strides) {
    let offset = 0;
    for (let d = shape.length - 1; d >= 0; d--) {
        const i = index % shape[d];
        index = (index - i) / shape[d];
        offset += i * strides[d];
    }
    return offset;
}
export function describe(shape) {
    return `[${shape.join(', ')}]`;
}
