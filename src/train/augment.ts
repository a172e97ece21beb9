/**
 * Random distortions of training images, done on the host batch before upload: a random affine
 * map (shift, rotation, scale, shear), a random stroke weight (thin or thick pens, thin or bold
 * fonts) and optionally Simard et al.'s elastic distortion. Every draw depends only on
 * (seed, step, index in batch), so a run is repeatable and a resumed run sees the same images.
 */
import { hash32, Rng } from '../kernels/random.ts';

/** affine and elastic distort digit strokes (one channel); crop-flip is for natural images, any channels. */
export const augmentModes = ['affine', 'elastic', 'crop-flip'] as const;
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
  /** elastic distortion: largest displacement of a grid node in pixels (a smooth random field, after Simard et al. 2003); 0 turns it off */
  elasticAlpha: number;
}

/** Mild enough that a 6 stays a 6 and a 1 stays a 1 (no flips, no rotation past ±15°). */
export const defaultAugment: AugmentOptions = { shift: 2.5, rotate: 12, scale: 0.12, shear: 0.2, stroke: 0.2, elasticAlpha: 0 };

export function augmentOptions(mode: Exclude<AugmentMode, 'crop-flip'>): AugmentOptions {
  return mode === 'elastic' ? { ...defaultAugment, elasticAlpha: 2 } : defaultAugment;
}

/** What fit() calls on each training batch. */
export interface BatchAugmenter {
  apply(x: Float32Array, n: number, step: number): void;
}

/** The augmenter of `mode` for inputs of `shape` ([channels, height, width]); the stroke distortions need one channel. */
export function makeAugmenter(mode: AugmentMode, shape: readonly number[], seed: number): BatchAugmenter {
  if (shape.length !== 3) throw new Error(`--augment ${mode} distorts images; this model reads [${shape.join(', ')}]`);
  const [c, h, w] = shape;
  if (mode === 'crop-flip') return new CropFlip(c, h, w, CROP_PADDING, seed);
  if (c !== 1) throw new Error(`--augment ${mode} distorts the strokes of one-channel digit images; for ${c}-channel images use --augment crop-flip`);
  return new Augmenter(h, w, augmentOptions(mode), seed);
}

/** Pixels of padding around a natural image before the random crop (4 on 32×32, as the ResNet paper's CIFAR-10 recipe). */
export const CROP_PADDING = 4;

/**
 * The standard augmentation of natural images: pad each side by `pad` pixels of black, crop a
 * random h×w window back out (a shift of up to `pad` pixels each way), and mirror left to right
 * half of the time. The same shift and flip apply to every channel of an image; draws depend only
 * on (seed, step, index in batch), so a run repeats and a resumed run sees the same images.
 */
export class CropFlip implements BatchAugmenter {
  readonly #plane: Float32Array;

  constructor(readonly c: number, readonly h: number, readonly w: number, readonly pad = CROP_PADDING, readonly seed = 0) {
    this.#plane = new Float32Array(h * w);
  }

  apply(x: Float32Array, n: number, step: number): void {
    const base = hash32((this.seed ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0);
    for (let i = 0; i < n; i++) {
      const rng = new Rng(hash32((base + i) >>> 0));
      const span = 2 * this.pad + 1;
      const dy = Math.min(span - 1, Math.floor(rng.next() * span)) - this.pad;
      const dx = Math.min(span - 1, Math.floor(rng.next() * span)) - this.pad;
      const flip = rng.next() < 0.5;
      for (let ch = 0; ch < this.c; ch++) this.one(x, (i * this.c + ch) * this.h * this.w, dy, dx, flip);
    }
  }

  /** out(y, x) = in(y + dy, x' + dx) with x' mirrored when flipping; 0 outside the image. */
  private one(x: Float32Array, off: number, dy: number, dx: number, flip: boolean): void {
    const { h, w } = this;
    const out = this.#plane;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let xx = 0; xx < w; xx++) {
        const sx = (flip ? w - 1 - xx : xx) + dx;
        out[y * w + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? x[off + sy * w + sx] : 0;
      }
    }
    x.set(out, off);
  }
}

/** Nodes per side of the coarse grid of random displacements: one every 7 pixels on 28×28, as smooth as Simard's σ = 4 blur at a fraction of its cost. */
const GRID = 5;

/** Bilinear interpolation of a GRID×GRID field of node values onto w×h pixels. */
function upsample(nodes: Float32Array, out: Float32Array, w: number, h: number): void {
  for (let y = 0; y < h; y++) {
    const gy = (y / (h - 1)) * (GRID - 1);
    const y0 = Math.min(GRID - 2, Math.floor(gy));
    const ty = gy - y0;
    for (let x = 0; x < w; x++) {
      const gx = (x / (w - 1)) * (GRID - 1);
      const x0 = Math.min(GRID - 2, Math.floor(gx));
      const tx = gx - x0;
      const a = nodes[y0 * GRID + x0];
      const b = nodes[y0 * GRID + x0 + 1];
      const c = nodes[(y0 + 1) * GRID + x0];
      const d = nodes[(y0 + 1) * GRID + x0 + 1];
      out[y * w + x] = (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d);
    }
  }
}

/**
 * Distorts `n` single-channel h×w images stored one after another in `x`, in place. `seed` and
 * `step` pick the draws; the same arguments give the same images.
 */
export class Augmenter implements BatchAugmenter {
  readonly #out: Float32Array;
  readonly #dx: Float32Array;
  readonly #dy: Float32Array;
  readonly #nodes = new Float32Array(GRID * GRID);

  constructor(readonly h: number, readonly w: number, readonly o: AugmentOptions = defaultAugment, readonly seed = 0) {
    const px = h * w;
    this.#out = new Float32Array(px);
    this.#dx = new Float32Array(px);
    this.#dy = new Float32Array(px);
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
      for (const field of [this.#dx, this.#dy]) {
        for (let k = 0; k < GRID * GRID; k++) this.#nodes[k] = sym();
        upsample(this.#nodes, field, w, h);
      }
    }
    // Source coordinates move by a constant step along a row: (su, sv) = M·(u, v), sx = su - shear·sv + cx.
    const ax = cos + shear * sin;
    const bx = sin - shear * cos;
    const ay = -sin;
    const by = cos;
    for (let y = 0; y < h; y++) {
      const v0 = y - cy - ty;
      const u0 = -cx - tx;
      let sx = ax * u0 + bx * v0 + cx;
      let sy = ay * u0 + by * v0 + cy;
      for (let xx = 0; xx < w; xx++, sx += ax, sy += ay) {
        let px = sx;
        let py = sy;
        if (elastic) {
          const du = o.elasticAlpha * this.#dx[y * w + xx];
          const dv = o.elasticAlpha * this.#dy[y * w + xx];
          px += ax * du + bx * dv;
          py += ay * du + by * dv;
        }
        // Bilinear sample, 0 outside; the +1 keeps the truncation a floor for coordinates down to -1.
        const x1 = ((px + 1) | 0) - 1;
        const y1 = ((py + 1) | 0) - 1;
        if (x1 < -1 || y1 < -1 || x1 >= w || y1 >= h) {
          out[y * w + xx] = 0;
          continue;
        }
        const fx = px - x1;
        const fy = py - y1;
        const xin0 = x1 >= 0;
        const xin1 = x1 + 1 < w;
        let acc = 0;
        if (y1 >= 0) {
          const row = off + y1 * w + x1;
          acc += (1 - fy) * ((xin0 ? (1 - fx) * x[row] : 0) + (xin1 ? fx * x[row + 1] : 0));
        }
        if (y1 + 1 < h) {
          const row = off + (y1 + 1) * w + x1;
          acc += fy * ((xin0 ? (1 - fx) * x[row] : 0) + (xin1 ? fx * x[row + 1] : 0));
        }
        out[y * w + xx] = acc;
      }
    }
    const r = rng.next();
    if (r < o.stroke) this.morph(out, x, off, true);
    else if (r < 2 * o.stroke) this.morph(out, x, off, false);
    else x.set(out, off);
  }

  /** 3×3 cross max (thicker) or min (thinner) of `src`, blended half-way so strokes change by about a pixel. */
  private morph(src: Float32Array, dst: Float32Array, off: number, grow: boolean): void {
    const { h, w } = this;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const c = src[i];
        const l = x > 0 ? src[i - 1] : 0;
        const r = x < w - 1 ? src[i + 1] : 0;
        const u = y > 0 ? src[i - w] : 0;
        const d = y < h - 1 ? src[i + w] : 0;
        const m = grow ? Math.max(c, l, r, u, d) : Math.min(c, l, r, u, d);
        dst[off + i] = 0.5 * (c + m);
      }
  }
}
