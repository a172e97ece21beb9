import { Tensor } from "../tensor/tensor.js";
/** Keras's default kernel initializer: U(−l, l) with l = √(6 / (fan_in + fan_out)). */
export function glorotUniform(shape, fanIn, fanOut, rng) {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const n = shape.reduce((p, d) => p * d, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++)
        data[i] = (2 * rng.next() - 1) * limit;
    return Tensor.from(data, shape);
}
export function filled(shape, value) {
    return Tensor.from(new Float32Array(shape.reduce((p, d) => p * d, 1)).fill(value), shape);
}
