/**
 * Random distortions of training images, done on the host batch before upload: a random affine
 * map (shift, rotation, scale, shear), a random stroke weight (thin or thick pens, thin or bold
 * fonts) and optionally Simard et al.'s elastic distortion. Every draw depends only on
 * (seed, step, index in batch), so a run is repeatable and a resumed run sees the same images.
 */
import { hash32, Rng } from '../kernels/random.ts';

export const augmentModes = ['affine', 'elastic'] as const;
export type AugmentMode = (typeof augmentModes)[number];

export interface AugmentOptions {
  /** largest shift in pixels, each axis */
  shift: number;
  /** largest rotation in degrees, either way */
  rotate: number;
  /** scale drawn in [1 - scale, 1 + scale] */
  scale: number;
  /** largest horizontal shear (x += shear · y) */
  shear: number;
  /** probability of thickening, and of thinning, the strokes */
  stroke: number;
  /** elastic distortion: field strength α in pixels and smoothing σ (Simard 2003: 34 and 4 on 28×28); 0 turns it off */
  elasticAlpha: number;
  elasticSigma: number;
}

/** Mild enough that a 6 stays a 6 and a 1 stays a 1 (no flips, no rotation past ±15°). */
export const defaultAugment: AugmentOptions = { shift: 2.5, rotate: 12, scale: 0.12, shear: 0.2, stroke: 0.2, elasticAlpha: 0, elasticSigma: 4 };

export function augmentOptions(mode: AugmentMode): AugmentOptions {
  return mode === 'elastic' ? { ...defaultAugment, elasticAlpha: 34 } : defaultAugment;
}

/** Bilinear sample of one h×w image at (x, y) in pixel-index coordinates; outside is 0 (black). */
function sample(src: Float32Array, off: number, w: number, h: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const tx = x - x0;
  const ty = y - y0;
  let v = 0;
  if (y0 >= 0 && y0 < h) {
    const row = off + y0 * w;
    if (x0 >= 0 && x0 < w) v += (1 - tx) * (1 - ty) * src[row + x0];
    if (x0 + 1 >= 0 && x0 + 1 < w) v += tx * (1 - ty) * src[row + x0 + 1];
  }
  if (y0 + 1 >= 0 && y0 + 1 < h) {
    const row = off + (y0 + 1) * w;
    if (x0 >= 0 && x0 < w) v += (1 - tx) * ty * src[row + x0];
    if (x0 + 1 >= 0 && x0 + 1 < w) v += tx * ty * src[row + x0 + 1];
  }
  return v;
}

/** A normalised 1-D Gaussian of radius ⌈2σ⌉. */
function gaussian(sigma: number): Float32Array {
  const r = Math.ceil(2 * sigma);
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  return k.map((v) => v / s);
}

/** Separable blur of a w×h field in place (zero outside). */
function blur(f: Float32Array, tmp: Float32Array, w: number, h: number, k: Float32Array): void {
  const r = (k.length - 1) >> 1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let a = 0;
      for (let j = Math.max(-r, -x); j <= Math.min(r, w - 1 - x); j++) a += k[j + r] * f[y * w + x + j];
      tmp[y * w + x] = a;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let a = 0;
      for (let j = Math.max(-r, -y); j <= Math.min(r, h - 1 - y); j++) a += k[j + r] * tmp[(y + j) * w + x];
      f[y * w + x] = a;
    }
}

/**
 * Distorts `n` single-channel h×w images stored one after another in `x`, in place. `seed` and
 * `step` pick the draws; the same arguments give the same images.
 */
export class Augmenter {
  readonly #out: Float32Array;
  readonly #dx: Float32Array;
  readonly #dy: Float32Array;
  readonly #tmp: Float32Array;
  readonly #kernel: Float32Array;

  constructor(readonly h: number, readonly w: number, readonly o: AugmentOptions = defaultAugment, readonly seed = 0) {
    const px = h * w;
    this.#out = new Float32Array(px);
    this.#dx = new Float32Array(px);
    this.#dy = new Float32Array(px);
    this.#tmp = new Float32Array(px);
    this.#kernel = gaussian(o.elasticSigma);
  }

  apply(x: Float32Array, n: number, step: number): void {
    const base = hash32((this.seed ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0);
    for (let i = 0; i < n; i++) this.one(x, i * this.h * this.w, new Rng(hash32((base + i) >>> 0)));
  }

  private one(x: Float32Array, off: number, rng: Rng): void {
    const { h, w, o } = this;
    const out = this.#out;
    const sym = () => 2 * rng.next() - 1;
    const angle = (sym() * o.rotate * Math.PI) / 180;
    const s = 1 + sym() * o.scale;
    const shear = sym() * o.shear;
    const tx = sym() * o.shift;
    const ty = sym() * o.shift;
    // Inverse map: output pixel p ← input at A⁻¹(p - c - t) + c, about the image centre c.
    const cos = Math.cos(angle) / s;
    const sin = Math.sin(angle) / s;
    const cx = (w - 1) / 2;
    const cy = (h - 1) / 2;
    const elastic = o.elasticAlpha > 0;
    if (elastic) {
      for (let p = 0; p < h * w; p++) {
        this.#dx[p] = sym();
        this.#dy[p] = sym();
      }
      blur(this.#dx, this.#tmp, w, h, this.#kernel);
      blur(this.#dy, this.#tmp, w, h, this.#kernel);
    }
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        let u = xx - cx - tx;
        let v = y - cy - ty;
        if (elastic) {
          // Uniform noise in [-1, 1] blurred by σ = 4 keeps about 4% of its spread: α = 34 gives shifts of about 1.4 px.
          u += o.elasticAlpha * this.#dx[y * w + xx];
          v += o.elasticAlpha * this.#dy[y * w + xx];
        }
        const su = cos * u + sin * v;
        const sv = -sin * u + cos * v;
        out[y * w + xx] = sample(x, off, w, h, su - shear * sv + cx, sv + cy);
      }
    }
    const r = rng.next();
    if (r < o.stroke) this.morph(out, x, off, Math.max);
    else if (r < 2 * o.stroke) this.morph(out, x, off, Math.min);
    else x.set(out, off);
  }

  /** 3×3 cross max (thicker) or min (thinner) of `src`, blended half-way so strokes change by about a pixel. */
  private morph(src: Float32Array, dst: Float32Array, off: number, op: (a: number, b: number) => number): void {
    const { h, w } = this;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const c = src[y * w + x];
        let m = c;
        m = op(m, x > 0 ? src[y * w + x - 1] : 0);
        m = op(m, x < w - 1 ? src[y * w + x + 1] : 0);
        m = op(m, y > 0 ? src[(y - 1) * w + x] : 0);
        m = op(m, y < h - 1 ? src[(y + 1) * w + x] : 0);
        dst[off + y * w + x] = 0.5 * (c + m);
      }
  }
}
