/**
 * From a photo or drawing to an ink map: how strongly each pixel differs from the paper under it.
 * The paper's colour is fitted as a smooth (quadratic) surface per channel, starting from the
 * image's border and then from every pixel that agrees with it, so a gradient of light or a
 * vignette across the page is not taken for ink. Ink is the side (darker or lighter than the
 * paper) with the heavier tail, and its strength is the colour distance, so blue ink on yellow
 * paper counts as much as black on white.
 */
import type { Rgba } from './header.ts';

/** Photos are reduced to this many pixels on their longer side before anything else. */
export const WORK_SIDE = 384;

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

/**
 * RGB planes at working resolution (area-averaged down by a whole factor so that the longer side
 * is at most WORK_SIDE), transparent pixels composited onto the colour that contrasts with the strokes.
 */
function planes(img: Rgba): Planes {
  const { width: W, height: H, data: d } = img;
  let translucent = false;
  for (let i = 3; i < d.length; i += 4) {
    if (d[i] !== 255) {
      translucent = true;
      break;
    }
  }
  let weighted = 0;
  let alphaSum = 0;
  if (translucent) {
    for (let i = 0; i < W * H; i++) {
      const a = d[4 * i + 3] / 255;
      weighted += a * (0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2]);
      alphaSum += a;
    }
  }
  // Strokes drawn on a transparent canvas: composite onto the opposite of the strokes' colour.
  const background = translucent && alphaSum > 0 && weighted / alphaSum < 128 ? 255 : 0;
  const f = Math.max(1, Math.ceil(Math.max(W, H) / WORK_SIDE));
  const w = Math.ceil(W / f);
  const h = Math.ceil(H / f);
  const c: [Float32Array, Float32Array, Float32Array] = [new Float32Array(w * h), new Float32Array(w * h), new Float32Array(w * h)];
  const count = new Float32Array(w * h);
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < W; x++) {
      const i = 4 * (y * W + x);
      const j = row + Math.floor(x / f);
      const a = d[i + 3] / 255;
      const back = (1 - a) * background;
      c[0][j] += a * d[i] + back;
      c[1][j] += a * d[i + 1] + back;
      c[2][j] += a * d[i + 2] + back;
      count[j]++;
    }
  }
  if (f > 1) for (let j = 0; j < w * h; j++) for (let k = 0; k < 3; k++) c[k][j] /= count[j];
  return { width: w, height: h, c };
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
/** The surface has six parameters: a grid of about this many pixels fits it as well as all of them. */
const FIT_SAMPLES = 16384;

/** Pixel stride of the fitting grid along each axis. */
const fitStride = (n: number) => Math.max(1, Math.floor(Math.sqrt(n / FIT_SAMPLES)));

/** Least-squares quadratic surface (1, u, v, u², uv, v² over coordinates scaled to [-1, 1]) through the masked pixels of each plane, on a grid; evaluated everywhere. */
function fitSurface(p: Planes, mask: Uint8Array): Float32Array[] {
  const { width: w, height: h } = p;
  const step = fitStride(w * h);
  const ata = new Float64Array(TERMS * TERMS);
  const atb = [new Float64Array(TERMS), new Float64Array(TERMS), new Float64Array(TERMS)];
  const phi = new Float64Array(TERMS);
  const su = w > 1 ? 2 / (w - 1) : 0;
  const sv = h > 1 ? 2 / (h - 1) : 0;
  for (let y = 0; y < h; y += step) {
    const v = h > 1 ? y * sv - 1 : 0;
    for (let x = 0; x < w; x += step) {
      const i = y * w + x;
      if (!mask[i]) continue;
      const u = w > 1 ? x * su - 1 : 0;
      phi[0] = 1; phi[1] = u; phi[2] = v; phi[3] = u * u; phi[4] = u * v; phi[5] = v * v;
      for (let r = 0; r < TERMS; r++) {
        const pr = phi[r];
        for (let c = r; c < TERMS; c++) ata[r * TERMS + c] += pr * phi[c];
        atb[0][r] += pr * p.c[0][i];
        atb[1][r] += pr * p.c[1][i];
        atb[2][r] += pr * p.c[2][i];
      }
    }
  }
  for (let r = 0; r < TERMS; r++) for (let c = 0; c < r; c++) ata[r * TERMS + c] = ata[c * TERMS + r];
  return atb.map((b) => {
    const k = solve(ata.slice(), b.slice(), TERMS);
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      const v = h > 1 ? y * sv - 1 : 0;
      const row = k[0] + k[2] * v + k[5] * v * v;
      const lin = k[1] + k[4] * v;
      for (let x = 0; x < w; x++) {
        const u = w > 1 ? x * su - 1 : 0;
        out[y * w + x] = row + lin * u + k[3] * u * u;
      }
    }
    return out;
  });
}

/** Median of non-negative values to a quarter grey level, by histogram (no sort over a photo's pixels). */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  const bins = new Uint32Array(1024);
  for (const v of values) bins[Math.min(1023, Math.floor(v * 4))]++;
  let seen = 0;
  for (let b = 0; b < 1024; b++) {
    seen += bins[b];
    if (2 * seen > values.length) return (b + 0.5) / 4;
  }
  return 255;
}

const lum = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** A 3×3 median of one plane, against salt-and-pepper noise and sensor grain. */
function median3(v: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(v.length);
  const win = new Float32Array(9);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let k = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const row = Math.min(h - 1, Math.max(0, y + dy)) * w;
        for (let dx = -1; dx <= 1; dx++) win[k++] = v[row + Math.min(w - 1, Math.max(0, x + dx))];
      }
      // Insertion sort of nine values: cheaper than a general sort at this size.
      for (let i = 1; i < 9; i++) {
        const t = win[i];
        let j = i - 1;
        while (j >= 0 && win[j] > t) {
          win[j + 1] = win[j];
          j--;
        }
        win[j + 1] = t;
      }
      out[y * w + x] = win[4];
    }
  return out;
}

export function inkMap(img: Rgba): InkMap {
  const p = planes(img);
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
    const step = fitStride(n);
    for (let y = 0; y < h; y += step)
      for (let x = 0; x < w; x += step) {
        const i = y * w + x;
        if (mask[i]) residuals.push(Math.abs(L[i] - lum(surface[0][i], surface[1][i], surface[2][i])));
      }
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
