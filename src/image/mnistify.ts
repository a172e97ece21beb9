/**
 * Turns any photo or drawing of one digit into what MNIST's creators made of theirs: light ink on
 * black, cropped to the digit, scaled with anti-aliasing to fit a 20×20 box keeping the aspect
 * ratio, and translated by whole pixels so that its centre of mass lies at (14, 14) in pixel-index
 * coordinates (MNIST's own digits average (13.99, 14.00)). Before that, the paper is fitted and
 * removed (uneven light, coloured paper: ./ink.ts), specks are dropped and several digits side by
 * side are refused (./components.ts), and very thin or very thick strokes are brought towards
 * MNIST's pen width.
 */
import type { Rgba } from './header.ts';
import { digitGroups, keepPieces, label } from './components.ts';
import { inkMap } from './ink.ts';

export const SIDE = 28;
const BOX = 20;
/** MNIST's centre of mass, in pixel-index coordinates (x = column index, y = row index). */
export const CENTRE = 14;

/** One axis of a separable resize: area averaging when shrinking, linear interpolation when enlarging. */
function resizeAxis(src: Float32Array, w: number, h: number, nw: number): Float32Array {
  const out = new Float32Array(nw * h);
  const scale = w / nw;
  for (let x = 0; x < nw; x++) {
    if (scale > 1) {
      const lo = x * scale;
      const hi = lo + scale;
      for (let s = Math.floor(lo); s < Math.min(w, Math.ceil(hi)); s++) {
        const cover = Math.min(hi, s + 1) - Math.max(lo, s);
        for (let y = 0; y < h; y++) out[y * nw + x] += (cover / scale) * src[y * w + s];
      }
    } else {
      const pos = Math.min(w - 1, Math.max(0, (x + 0.5) * scale - 0.5));
      const s0 = Math.floor(pos);
      const s1 = Math.min(w - 1, s0 + 1);
      const t = pos - s0;
      for (let y = 0; y < h; y++) out[y * nw + x] = (1 - t) * src[y * w + s0] + t * src[y * w + s1];
    }
  }
  return out;
}

function transpose(v: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = v[y * w + x];
  return out;
}

export function resize(v: Float32Array, w: number, h: number, nw: number, nh: number): Float32Array {
  const rows = resizeAxis(v, w, h, nw);
  return transpose(resizeAxis(transpose(rows, nw, h), h, nw, nh), nh, nw);
}

/**
 * Stroke width of a digit image in its own pixels: ink mass over half its edge length (total
 * variation), for a stroke of width w and length L that is wL / L.
 */
export function strokeWidth(v: Float32Array, w: number, h: number): number {
  let mass = 0;
  let tv = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = v[y * w + x];
      mass += a;
      tv += Math.abs(a - (x + 1 < w ? v[y * w + x + 1] : 0)) + Math.abs(a - (y + 1 < h ? v[(y + 1) * w + x] : 0));
      if (x === 0) tv += a;
      if (y === 0) tv += a;
    }
  // The grid's horizontal plus vertical edges overstate a slanted edge's length by 4/π on average.
  return tv > 0 ? (2 * mass) / (tv * (Math.PI / 4)) : 0;
}

/** MNIST's pen in the 20-px box (median over the training set, measured with strokeWidth) and the band left alone. */
export const MNIST_STROKE = 2.5;
const THIN = 0.55 * MNIST_STROKE;
const THICK = 2.1 * MNIST_STROKE;

/** Grey dilation (max) or erosion (min) with a square of radius r, separable. */
function morph(v: Float32Array, w: number, h: number, r: number, grow: boolean): Float32Array {
  const pick = grow ? Math.max : Math.min;
  const tmp = new Float32Array(v.length);
  const out = new Float32Array(v.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let m = v[y * w + x];
      for (let d = -r; d <= r; d++) m = pick(m, x + d >= 0 && x + d < w ? v[y * w + x + d] : 0);
      tmp[y * w + x] = m;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let m = tmp[y * w + x];
      for (let d = -r; d <= r; d++) m = pick(m, y + d >= 0 && y + d < h ? tmp[(y + d) * w + x] : 0);
      out[y * w + x] = m;
    }
  return out;
}

export interface Preprocessed {
  /** 28 × 28 values in [0, 1], light digit on black */
  pixels: Float32Array;
  /** the input had a light background and was inverted */
  inverted: boolean;
}

/** Why an image cannot be read as one digit; the message is meant for the user. */
export class UnreadableDigit extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableDigit';
  }
}

interface Crop {
  v: Float32Array;
  w: number;
  h: number;
}

/** The digit's ink, scaled to [0, 1] by its strongest strokes and cut to its bounding box (1 px margin). */
function cropDigit(img: Rgba): { crop: Crop; inverted: boolean } {
  const m = inkMap(img);
  const { width: w, height: h, ink } = m;
  const floor = 3 * m.noise + 2;
  const strong: number[] = [];
  for (let i = 0; i < ink.length; i++) if (ink[i] > floor) strong.push(ink[i]);
  strong.sort((a, b) => a - b);
  const top = strong.length ? strong[Math.floor(0.99 * (strong.length - 1))] : 0;
  if (strong.length < 3 || top < 24) throw new UnreadableDigit('the image is blank: no digit stands out from the background');
  const mask = new Uint8Array(ink.length);
  for (let i = 0; i < ink.length; i++) mask[i] = ink[i] >= Math.max(floor, 0.35 * top) ? 1 : 0;
  const { labels, pieces } = label(mask, ink, w, h);
  const keep = keepPieces(pieces);
  const kept = pieces.filter((_, i) => keep[i]);
  const groups = digitGroups(kept);
  if (groups.length > 1) {
    throw new UnreadableDigit(`the image holds ${groups.length} digits side by side (or a digit and other marks): crop it to one digit`);
  }
  const x0 = Math.max(0, Math.min(...kept.map((p) => p.x0)) - 1);
  const y0 = Math.max(0, Math.min(...kept.map((p) => p.y0)) - 1);
  const x1 = Math.min(w - 1, Math.max(...kept.map((p) => p.x1)) + 1);
  const y1 = Math.min(h - 1, Math.max(...kept.map((p) => p.y1)) + 1);
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const v = new Float32Array(cw * ch);
  const soft = Math.max(floor, 0.1 * top);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const i = (y0 + y) * w + x0 + x;
      const l = labels[i];
      if (ink[i] < soft || (l && !keep[l - 1])) continue;
      v[y * cw + x] = Math.min(1, ink[i] / top);
    }
  return { crop: { v, w: cw, h: ch }, inverted: m.inverted };
}

/** The crop cut to its nonzero pixels. */
function trim(c: Crop): Crop {
  let x0 = c.w, y0 = c.h, x1 = -1, y1 = -1;
  for (let y = 0; y < c.h; y++)
    for (let x = 0; x < c.w; x++)
      if (c.v[y * c.w + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) return c;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const v = new Float32Array(w * h);
  for (let y = 0; y < h; y++) v.set(c.v.subarray((y0 + y) * c.w + x0, (y0 + y) * c.w + x0 + w), y * w);
  return { v, w, h };
}

/** The crop scaled to fit the 20-px box, anti-aliased, its strongest pixel at 1. */
function toBox(c: Crop): Crop {
  const scale = BOX / Math.max(c.w, c.h);
  const w = Math.max(1, Math.round(c.w * scale));
  const h = Math.max(1, Math.round(c.h * scale));
  const v = resize(c.v, c.w, c.h, w, h);
  let max = 0;
  for (const x of v) max = Math.max(max, x);
  // A thin pen drawn large fades when averaged down; MNIST's strokes reach full white.
  if (max > 0) for (let i = 0; i < v.length; i++) v[i] = Math.min(1, v[i] / max);
  return { v, w, h };
}

/** Brings a pen far thinner or thicker than MNIST's towards it, in the crop's own resolution. */
function normaliseStroke(c: Crop): Crop {
  const perBoxPixel = Math.max(c.w, c.h) / BOX;
  // Measured where the pen is resolved: in the crop when it is larger than the box (a hairline
  // drawn large would read as one box pixel after scaling), in the box otherwise.
  let width: number;
  if (perBoxPixel > 1) {
    width = strokeWidth(c.v, c.w, c.h) / perBoxPixel;
  } else {
    const box = toBox(c);
    width = strokeWidth(box.v, box.w, box.h);
  }
  if (width >= THIN && width <= THICK) return c;
  // Radius in crop pixels that moves the width (in box pixels) to MNIST's: each side grows or shrinks by r.
  const r = Math.max(1, Math.round((Math.abs(MNIST_STROKE - width) / 2) * Math.max(1, perBoxPixel)));
  if (width < THIN) {
    const pad = r;
    const w = c.w + 2 * pad;
    const h = c.h + 2 * pad;
    const v = new Float32Array(w * h);
    for (let y = 0; y < c.h; y++) v.set(c.v.subarray(y * c.w, (y + 1) * c.w), (y + pad) * w + pad);
    return { v: morph(v, w, h, r, true), w, h };
  }
  const thinner = morph(c.v, c.w, c.h, r, false);
  // An erosion that removes most of the ink would break the digit apart: keep the original then.
  let before = 0;
  let after = 0;
  for (let i = 0; i < c.v.length; i++) {
    before += c.v[i];
    after += thinner[i];
  }
  return after > 0.25 * before ? { v: thinner, w: c.w, h: c.h } : c;
}

/** Throws UnreadableDigit when the image holds nothing to read (a blank page) or several digits. */
export function mnistify(img: Rgba): Preprocessed {
  const { crop, inverted } = cropDigit(img);
  const digit = toBox(trim(normaliseStroke(trim(crop))));
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < digit.h; y++) {
    for (let x = 0; x < digit.w; x++) {
      const m = digit.v[y * digit.w + x];
      mass += m;
      mx += m * x;
      my += m * y;
    }
  }
  const clamp = (o: number, size: number) => Math.min(SIDE - size, Math.max(0, o));
  const ox = clamp(Math.round(CENTRE - mx / mass), digit.w);
  const oy = clamp(Math.round(CENTRE - my / mass), digit.h);
  const pixels = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < digit.h; y++) {
    for (let x = 0; x < digit.w; x++) pixels[(oy + y) * SIDE + ox + x] = Math.min(1, Math.max(0, digit.v[y * digit.w + x]));
  }
  return { pixels, inverted };
}
