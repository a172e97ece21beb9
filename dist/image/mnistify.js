export const SIDE = 28;
const BOX = 20;
/** Luminance in [0, 255]; transparent pixels become the background that contrasts with the ink. */
function luminance(img) {
    const n = img.width * img.height;
    const d = img.data;
    const lum = new Float32Array(n);
    let weighted = 0;
    let alphaSum = 0;
    let translucent = false;
    for (let i = 0; i < n; i++) {
        lum[i] = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
        const a = d[4 * i + 3] / 255;
        if (a < 1)
            translucent = true;
        weighted += a * lum[i];
        alphaSum += a;
    }
    if (!translucent)
        return lum;
    // Strokes drawn on a transparent canvas: composite onto the opposite of the strokes' colour.
    const background = alphaSum > 0 && weighted / alphaSum < 128 ? 255 : 0;
    for (let i = 0; i < n; i++) {
        const a = d[4 * i + 3] / 255;
        lum[i] = a * lum[i] + (1 - a) * background;
    }
    return lum;
}
function borderMedian(v, w, h) {
    const border = [];
    for (let x = 0; x < w; x++)
        border.push(v[x], v[(h - 1) * w + x]);
    for (let y = 1; y < h - 1; y++)
        border.push(v[y * w], v[y * w + w - 1]);
    border.sort((a, b) => a - b);
    return border[border.length >> 1];
}
/** One axis of a separable resize: area averaging when shrinking, linear interpolation when enlarging. */
function resizeAxis(src, w, h, nw) {
    const out = new Float32Array(nw * h);
    const scale = w / nw;
    for (let x = 0; x < nw; x++) {
        if (scale > 1) {
            const lo = x * scale;
            const hi = lo + scale;
            for (let s = Math.floor(lo); s < Math.min(w, Math.ceil(hi)); s++) {
                const cover = Math.min(hi, s + 1) - Math.max(lo, s);
                for (let y = 0; y < h; y++)
                    out[y * nw + x] += (cover / scale) * src[y * w + s];
            }
        }
        else {
            const pos = Math.min(w - 1, Math.max(0, (x + 0.5) * scale - 0.5));
            const s0 = Math.floor(pos);
            const s1 = Math.min(w - 1, s0 + 1);
            const t = pos - s0;
            for (let y = 0; y < h; y++)
                out[y * nw + x] = (1 - t) * src[y * w + s0] + t * src[y * w + s1];
        }
    }
    return out;
}
function transpose(v, w, h) {
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
            out[x * h + y] = v[y * w + x];
    return out;
}
function resize(v, w, h, nw, nh) {
    const rows = resizeAxis(v, w, h, nw);
    return transpose(resizeAxis(transpose(rows, nw, h), h, nw, nh), nh, nw);
}
/** Throws when the image holds nothing to read (a blank page). */
export function mnistify(img) {
    const { width: w, height: h } = img;
    let v = luminance(img);
    const inverted = borderMedian(v, w, h) > 127;
    if (inverted)
        v = v.map((x) => 255 - x);
    // Paper is rarely pure black after inversion: the border's level is the zero of the ink.
    const floor = borderMedian(v, w, h);
    let max = 0;
    for (let i = 0; i < v.length; i++) {
        v[i] = Math.max(0, v[i] - floor);
        max = Math.max(max, v[i]);
    }
    if (max < 16)
        throw new Error('the image is blank: no digit stands out from the background');
    // Ink below a tenth of the strongest is noise (JPEG ringing, paper texture); it would widen the crop.
    let x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
            const i = y * w + x;
            v[i] = v[i] < max * 0.1 ? 0 : v[i] / max;
            if (v[i] > 0) {
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
    }
    const cw = x1 - x0 + 1;
    const ch = y1 - y0 + 1;
    const crop = new Float32Array(cw * ch);
    for (let y = 0; y < ch; y++)
        crop.set(v.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + cw), y * cw);
    const scale = BOX / Math.max(cw, ch);
    const nw = Math.max(1, Math.round(cw * scale));
    const nh = Math.max(1, Math.round(ch * scale));
    const digit = resize(crop, cw, ch, nw, nh);
    let mass = 0, mx = 0, my = 0;
    for (let y = 0; y < nh; y++) {
        for (let x = 0; x < nw; x++) {
            const m = digit[y * nw + x];
            mass += m;
            mx += m * (x + 0.5);
            my += m * (y + 0.5);
        }
    }
    const clamp = (o, size) => Math.min(SIDE - size, Math.max(0, o));
    const ox = clamp(Math.round(SIDE / 2 - mx / mass), nw);
    const oy = clamp(Math.round(SIDE / 2 - my / mass), nh);
    const pixels = new Float32Array(SIDE * SIDE);
    for (let y = 0; y < nh; y++) {
        for (let x = 0; x < nw; x++)
            pixels[(oy + y) * SIDE + ox + x] = Math.min(1, Math.max(0, digit[y * nw + x]));
    }
    return { pixels, inverted };
}
