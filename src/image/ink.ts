/**
 * From a photo or drawing to an ink map: how strongly each pixel differs from the paper under it.
 * The paper's colour is fitted as a smooth (quadratic) surface per channel, starting from the
 * image's border and then from every pixel that agrees with it, so a gradient of light or a
 * vignette across the page is not taken for ink. Ink is the side (darker or lighter than the
 * paper) with the heavier tail, and its strength is the colour distance, so blue ink on yellow
 * paper counts as much as black on white.
 */
import type { Rgba } from './decode.ts';

/** Photos are reduced to this many pixels on their longer side before anything else. */
export const WORK_SIDE = 512;

export interface InkMap {
  width: number;
  height: number;
  /** ink strength in [0, 255] units, 0 on paper */
  ink: Float32Array;
  /** the paper was lighter than the ink (a dark-on-light image, inverted for MNIST) */
  inverted: boolean;
  /** robust spread of the paper's residual (noise), in [0, 255] units */
  noise: number;
}

interface Planes {
  width: number;
  height: number;
  /** r, g, b in [0, 255] */
  c: [Float32Array, Float32Array, Float32Array];
}

/** RGB planes, transparent pixels composited onto the colour that contrasts with the strokes. */
function planes(img: Rgba): Planes {
  const n = img.width * img.height;
  const d = img.data;
  const c: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  let weighted = 0;
  let alphaSum = 0;
  let translucent = false;
  for (let i = 0; i < n; i++) {
    const a = d[4 * i + 3] / 255;
    if (a < 1) translucent = true;
    weighted += a * (0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]);
    alphaSum += a;
  }
  // Strokes drawn on a transparent canvas: composite onto the opposite of the strokes' colour.
  const background = translucent && alphaSum > 0 && weighted / alphaSum < 128 ? 255 : 0;
  for (let i = 0; i < n; i++) {
    const a = d[4 * i + 3] / 255;
    for (let k = 0; k < 3; k++) c[k][i] = a * d[4 * i + k] + (1 - a) * background;
  }
  return { width: img.width, height: img.height, c };
}

/** Area-averaging reduction of one plane by an integer factor (the last partial cells average what they cover). */
function reduce(v: Float32Array, w: number, h: number, f: number): Float32Array {
  const nw = Math.ceil(w / f);
  const nh = Math.ceil(h / f);
  const sum = new Float32Array(nw * nh);
  const cnt = new Float32Array(nw * nh);
  for (let y = 0; y < h; y++) {
    const row = Math.floor(y / f) * nw;
    for (let x = 0; x < w; x++) {
      const j = row + Math.floor(x / f);
      sum[j] += v[y * w + x];
      cnt[j]++;
    }
  }
  for (let j = 0; j < sum.length; j++) sum[j] /= cnt[j];
  return sum;
}

function shrink(p: Planes): Planes {
  const f = Math.ceil(Math.max(p.width, p.height) / WORK_SIDE);
  if (f <= 1) return p;
  const c = p.c.map((v) => reduce(v, p.width, p.height, f)) as Planes['c'];
  return { width: Math.ceil(p.width / f), height: Math.ceil(p.height / f), c };
}

/** Solves the 6×6 normal equations A·x = b in place (Gaussian elimination, partial pivoting); singular → zeros beyond rank. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) < 1e-9) continue;
    if (piv !== col) {
      for (let k = 0; k < n; k++) [a[col * n + k], a[piv * n + k]] = [a[piv * n + k], a[col * n + k]];
      [b[col], b[piv]] = [b[piv], b[col]];
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let k = col; k < n; k++) a[r * n + k] -= f * a[col * n + k];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.abs(a[i * n + i]) < 1e-9 ? 0 : b[i] / a[i * n + i];
  return x;
}

const TERMS = 6;

/** The quadratic basis 1, x, y, x², xy, y² over coordinates scaled to [-1, 1]. */
function basis(x: number, y: number, w: number, h: number, out: Float64Array): void {
  const u = w > 1 ? (2 * x) / (w - 1) - 1 : 0;
  const v = h > 1 ? (2 * y) / (h - 1) - 1 : 0;
  out[0] = 1; out[1] = u; out[2] = v; out[3] = u * u; out[4] = u * v; out[5] = v * v;
}

/** Least-squares quadratic surface through the masked pixels of each plane; evaluated everywhere. */
function fitSurface(p: Planes, mask: Uint8Array): Float32Array[] {
  const { width: w, height: h } = p;
  const ata = new Float64Array(TERMS * TERMS);
  const atb = [new Float64Array(TERMS), new Float64Array(TERMS), new Float64Array(TERMS)];
  const phi = new Float64Array(TERMS);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      basis(x, y, w, h, phi);
      for (let r = 0; r < TERMS; r++) {
        for (let c = 0; c < TERMS; c++) ata[r * TERMS + c] += phi[r] * phi[c];
        for (let k = 0; k < 3; k++) atb[k][r] += phi[r] * p.c[k][i];
      }
    }
  return atb.map((b) => {
    const coef = solve(ata.slice(), b.slice(), TERMS);
    const s = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        basis(x, y, w, h, phi);
        let v = 0;
        for (let t = 0; t < TERMS; t++) v += coef[t] * phi[t];
        s[y * w + x] = v;
      }
    return s;
  });
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  return values[values.length >> 1];
}

const lum = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** A 3×3 median of one plane, against salt-and-pepper noise and sensor grain. */
function median3(v: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(v.length);
  const win: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      win.length = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = Math.min(h - 1, Math.max(0, y + dy));
          const xx = Math.min(w - 1, Math.max(0, x + dx));
          win.push(v[yy * w + xx]);
        }
      win.sort((a, b) => a - b);
      out[y * w + x] = win[4];
    }
  return out;
}

export function inkMap(img: Rgba): InkMap {
  const p = shrink(planes(img));
  const { width: w, height: h } = p;
  const n = w * h;
  const L = new Float32Array(n);
  for (let i = 0; i < n; i++) L[i] = lum(p.c[0][i], p.c[1][i], p.c[2][i]);
  // Start from a border band: the paper shows there even when the digit fills the frame.
  const band = Math.max(1, Math.round(0.04 * Math.min(w, h)));
  let mask = new Uint8Array(n);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if (x < band || y < band || x >= w - band || y >= h - band) mask[y * w + x] = 1;
  let surface = fitSurface(p, mask);
  let noise = 0;
  for (let round = 0; round < 3; round++) {
    const residuals: number[] = [];
    for (let i = 0; i < n; i++) if (mask[i]) residuals.push(Math.abs(L[i] - lum(surface[0][i], surface[1][i], surface[2][i])));
    // The median absolute residual of the paper, as a standard deviation; at least a grey level.
    noise = Math.max(1, 1.4826 * median(residuals));
    const next = new Uint8Array(n);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (Math.abs(L[i] - lum(surface[0][i], surface[1][i], surface[2][i])) <= 3 * noise + 6) {
        next[i] = 1;
        kept++;
      }
    }
    if (kept < TERMS * 4) break;
    mask = next;
    surface = fitSurface(p, mask);
  }
  // Which side is ink: the heavier tail beyond the noise.
  const t = 3 * noise + 6;
  let dark = 0;
  let light = 0;
  const signed = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = L[i] - lum(surface[0][i], surface[1][i], surface[2][i]);
    signed[i] = d;
    if (d < -t) dark -= d + t;
    else if (d > t) light += d - t;
  }
  const inverted = dark > light;
  let ink: Float32Array = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Pixels clearly on the paper's other side are glare or shadow, not ink; coloured ink may differ little in luminance.
    if (inverted ? signed[i] > t : signed[i] < -t) continue;
    let d2 = 0;
    for (let k = 0; k < 3; k++) d2 += (p.c[k][i] - surface[k][i]) ** 2;
    // Colour distance, scaled so that grey ink gets exactly its luminance difference.
    ink[i] = Math.min(255, Math.sqrt(d2 / 3));
  }
  // Grain in a photo: a median removes specks and keeps strokes wider than a pixel.
  if (noise > 4 && Math.min(w, h) >= 64) ink = median3(ink, w, h);
  return { width: w, height: h, ink, inverted, noise };
}
