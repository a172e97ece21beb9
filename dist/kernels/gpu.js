export const f32 = (value) => ({ f32: value });
/** Up to `size` u32s, zero-padded: shapes and strides, read in WGSL as `array<vec4u, size / 4>`. */
export function u32s(values, size = 8) {
    if (values.length > size)
        throw new Error(`webgpu: rank ${values.length} is above the ${size} the shaders take`);
    return { u32s: [...values, ...new Array(size - values.length).fill(0)] };
}
export const ceilDiv = (a, b) => Math.ceil(a / b);
/**
 * Splits [0, length) into chunks no longer than the binding limit, each starting on the offset
 * alignment: contiguous kernels (elementwise maps, optimizer updates) run chunk by chunk.
 */
export function chunks(limits, length) {
    const step = Math.floor(limits.maxBindingLength / limits.offsetAlignment) * limits.offsetAlignment;
    const out = [];
    for (let offset = 0; offset < length; offset += step)
        out.push({ offset, length: Math.min(step, length - offset) });
    return out;
}
/** A window of `s`, or `s` itself when the window is all of it. */
export function slice(s, offset, length) {
    return offset === 0 && length === s.length ? s : { storage: s, offset, length };
}
