/**
 * Max and average pooling, NCHW planes [lo, hi) per thread. The max-pool gradient finds each
 * window's first maximum again (ky outer, kx inner, strict >), exactly as the reference does, so
 * ties (zeros after a ReLU) route the gradient to the same element.
 */

import {
  AvgPoolGradParams, AvgPoolParams, MaxPoolActGradParams, MaxPoolActParams, MaxPoolGradParams, MaxPoolParams,
  UNARY_RELU, UNARY_SIGMOID, UNARY_SOFTSIGN, UNARY_TANH,
} from './generated/params';
import { scalarOp } from './elementwise';

// @ts-ignore: decorator
@inline function argmax(x: usize, w: i32, size: i32, y0: i32, x0: i32): i32 {
  let best: f32 = -Infinity;
  let at = y0 * w + x0;
  for (let ky = 0; ky < size; ky++)
    for (let kx = 0; kx < size; kx++) {
      const idx = (y0 + ky) * w + x0 + kx;
      const v = load<f32>(x + (<usize>idx << 2));
      if (v > best) {
        best = v;
        at = idx;
      }
    }
  return at;
}

/** argmax of a 2×2 window, unrolled: rows too short for the four-wide steps. */
// @ts-ignore: decorator
@inline function argmax2(x: usize, w: i32, y0: i32, x0: i32): i32 {
  const i0 = y0 * w + x0;
  const p = x + (<usize>i0 << 2);
  const q = p + (<usize>w << 2);
  let best: f32 = -Infinity;
  let at = i0;
  const a = load<f32>(p), b = load<f32>(p, 4), c = load<f32>(q), d = load<f32>(q, 4);
  if (a > best) { best = a; }
  if (b > best) { best = b; at = i0 + 1; }
  if (c > best) { best = c; at = i0 + w; }
  if (d > best) { at = i0 + w + 1; }
  return at;
}

/** The op code of plain max pooling in the helpers below: no activation. */
const NO_ACTIVATION: i32 = -1;

/** act(m) as the unary export computes it. */
// @ts-ignore: decorator
@inline function activate(op: i32, m: f32): f32 {
  if (op == NO_ACTIVATION) return m;
  return op == UNARY_RELU ? (m > 0 ? m : 0) : <f32>scalarOp(op, m);
}

/**
 * y[ox, ox + 4) of one output row = act(max of its 2×2 windows), rows r0 and r1 of the input: a
 * vertical max of the two rows, then of neighbouring lanes.
 */
// @ts-ignore: decorator
@inline function maxAct4(r0: usize, r1: usize, yr: usize, ox: i32, op: i32): void {
  const o = <usize>(2 * ox) << 2;
  const a = f32x4.pmax(v128.load(r0 + o), v128.load(r1 + o));
  const b = f32x4.pmax(v128.load(r0 + o, 16), v128.load(r1 + o, 16));
  const m = f32x4.pmax(f32x4.shuffle(a, b, 0, 2, 4, 6), f32x4.shuffle(a, b, 1, 3, 5, 7));
  const at = yr + (<usize>ox << 2);
  if (op == NO_ACTIVATION) v128.store(at, m);
  else if (op == UNARY_RELU) v128.store(at, f32x4.pmax(m, f32x4.splat(0)));
  else {
    store<f32>(at, <f32>scalarOp(op, f32x4.extract_lane(m, 0)));
    store<f32>(at, <f32>scalarOp(op, f32x4.extract_lane(m, 1)), 4);
    store<f32>(at, <f32>scalarOp(op, f32x4.extract_lane(m, 2)), 8);
    store<f32>(at, <f32>scalarOp(op, f32x4.extract_lane(m, 3)), 12);
  }
}

/** act′ written in the activation's output y, as src/kernels/activation.ts derivativeFromOutput. */
// @ts-ignore: decorator
@inline function derivativeFromOutput(op: i32, y: f64): f64 {
  if (op == UNARY_RELU) return y > 0 ? 1 : 0;
  if (op == UNARY_TANH) return 1 - y * y;
  if (op == UNARY_SOFTSIGN) { const d = 1 - Math.abs(y); return d * d; }
  if (op == UNARY_SIGMOID) return y * (1 - y);
  return NaN;
}

/** dy · act′(y) for four windows. */
// @ts-ignore: decorator
@inline function gatedLanes(op: i32, dy: v128, y: v128): v128 {
  if (op == NO_ACTIVATION) return dy;
  if (op == UNARY_RELU) return v128.and(dy, f32x4.gt(y, f32x4.splat(0)));
  let g = f32x4.splat(0);
  g = f32x4.replace_lane(g, 0, <f32>(<f64>f32x4.extract_lane(dy, 0) * derivativeFromOutput(op, f32x4.extract_lane(y, 0))));
  g = f32x4.replace_lane(g, 1, <f32>(<f64>f32x4.extract_lane(dy, 1) * derivativeFromOutput(op, f32x4.extract_lane(y, 1))));
  g = f32x4.replace_lane(g, 2, <f32>(<f64>f32x4.extract_lane(dy, 2) * derivativeFromOutput(op, f32x4.extract_lane(y, 2))));
  g = f32x4.replace_lane(g, 3, <f32>(<f64>f32x4.extract_lane(dy, 3) * derivativeFromOutput(op, f32x4.extract_lane(y, 3))));
  return g;
}

/**
 * dx of four 2×2 windows (input rows r0, r1; dx rows d0, d1): dy · act′(y) at each window's first
 * maximum, zero elsewhere, every element written once.
 */
// @ts-ignore: decorator
@inline function maxActGrad4(r0: usize, r1: usize, d0: usize, d1: usize, yr: usize, dyr: usize, ox: i32, op: i32): void {
  const o = <usize>(2 * ox) << 2;
  const lo0 = v128.load(r0 + o), hi0 = v128.load(r0 + o, 16);
  const lo1 = v128.load(r1 + o), hi1 = v128.load(r1 + o, 16);
  const a = f32x4.shuffle(lo0, hi0, 0, 2, 4, 6);
  const b = f32x4.shuffle(lo0, hi0, 1, 3, 5, 7);
  const c = f32x4.shuffle(lo1, hi1, 0, 2, 4, 6);
  const d = f32x4.shuffle(lo1, hi1, 1, 3, 5, 7);
  const m = f32x4.pmax(f32x4.pmax(a, b), f32x4.pmax(c, d));
  const at = <usize>ox << 2;
  const g = gatedLanes(op, v128.load(dyr + at), v128.load(yr + at));
  // The first maximum in the reference's order a, b, c, d takes the gradient.
  const ma = f32x4.eq(a, m);
  const mb = v128.andnot(f32x4.eq(b, m), ma);
  const mab = v128.or(ma, mb);
  const mc = v128.andnot(f32x4.eq(c, m), mab);
  const md = v128.not(v128.or(mab, mc));
  const ga = v128.and(g, ma), gb = v128.and(g, mb), gc = v128.and(g, mc), gd = v128.and(g, md);
  v128.store(d0 + o, f32x4.shuffle(ga, gb, 0, 4, 1, 5));
  v128.store(d0 + o, f32x4.shuffle(ga, gb, 2, 6, 3, 7), 16);
  v128.store(d1 + o, f32x4.shuffle(gc, gd, 0, 4, 1, 5));
  v128.store(d1 + o, f32x4.shuffle(gc, gd, 2, 6, 3, 7), 16);
}

export function maxPool(params: usize, lo: i32, hi: i32): void {
  const h = MaxPoolParams.h(params), w = MaxPoolParams.w(params), size = MaxPoolParams.size(params), s = MaxPoolParams.stride(params), oh = MaxPoolParams.oh(params), ow = MaxPoolParams.ow(params);
  const x = MaxPoolParams.x(params);
  const y = MaxPoolParams.y(params);
  for (let q = lo; q < hi; q++) maxPoolPlane(x + (<usize>(q * h * w) << 2), y + (<usize>(q * oh * ow) << 2), w, size, s, oh, ow, NO_ACTIVATION);
}

/** One plane: y = act(max of each window); 2×2 stride 2 four windows a step, each row's last four as its last step. */
function maxPoolPlane(xp: usize, yp: usize, w: i32, size: i32, s: i32, oh: i32, ow: i32, op: i32): void {
  const two = size == 2 && s == 2;
  for (let oy = 0; oy < oh; oy++) {
    let ox = 0;
    if (two) {
      const r0 = xp + (<usize>(2 * oy * w) << 2);
      const r1 = r0 + (<usize>w << 2);
      const yr = yp + (<usize>(oy * ow) << 2);
      for (; ox + 4 <= ow; ox += 4) maxAct4(r0, r1, yr, ox, op);
      // A window computed twice is written twice with one value: cheaper than a scalar tail,
      // which costs as much as the rest of a short row.
      if (ox < ow && ow >= 4) {
        maxAct4(r0, r1, yr, ow - 4, op);
        ox = ow;
      }
    }
    for (; ox < ow; ox++) {
      const i = two ? argmax2(xp, w, 2 * oy, 2 * ox) : argmax(xp, w, size, oy * s, ox * s);
      store<f32>(yp + (<usize>(oy * ow + ox) << 2), activate(op, load<f32>(xp + (<usize>i << 2))));
    }
  }
}

/**
 * Four 2×2 stride-2 windows at a time: each input element belongs to one window, so dx is
 * written once (dy · act′(y) at the window's first maximum, zero elsewhere) with no scatter.
 * `op` NO_ACTIVATION: plain max pooling, y unread.
 */
function maxPoolGrad2(xp: usize, yp: usize, dyp: usize, dxp: usize, w: i32, oh: i32, ow: i32, op: i32): void {
  for (let oy = 0; oy < oh; oy++) {
    const r0 = xp + (<usize>(2 * oy * w) << 2);
    const r1 = r0 + (<usize>w << 2);
    const d0 = dxp + (<usize>(2 * oy * w) << 2);
    const d1 = d0 + (<usize>w << 2);
    const yr = yp + (<usize>(oy * ow) << 2);
    const dyr = dyp + (<usize>(oy * ow) << 2);
    let ox = 0;
    for (; ox + 4 <= ow; ox += 4) maxActGrad4(r0, r1, d0, d1, yr, dyr, ox, op);
    // The row's last four windows as its last step (a window done twice is written twice alike).
    if (ox < ow && ow >= 4) {
      maxActGrad4(r0, r1, d0, d1, yr, dyr, ow - 4, op);
      ox = ow;
    }
    for (; ox < ow; ox++) {
      const at = argmax2(xp, w, 2 * oy, 2 * ox);
      const o = <usize>(2 * ox) << 2;
      const g = load<f32>(dyr + (<usize>ox << 2));
      store<f32>(d0 + o, 0); store<f32>(d0 + o, 0, 4); store<f32>(d1 + o, 0); store<f32>(d1 + o, 0, 4);
      store<f32>(dxp + (<usize>at << 2), op == NO_ACTIVATION ? g : <f32>(<f64>g * derivativeFromOutput(op, load<f32>(yr + (<usize>ox << 2)))));
    }
  }
}

/**
 * One plane's max-pool gradient into dxp: dy · act′(y) (dy alone for NO_ACTIVATION, where `yp` is
 * not read) onto each window's first maximum; 2×2 stride 2 writes every element once, with no
 * scatter.
 */
function maxPoolGradPlane(xp: usize, yp: usize, dyp: usize, dxp: usize, h: i32, w: i32, size: i32, s: i32, oh: i32, ow: i32, op: i32): void {
  if (size == 2 && s == 2) {
    // Rows and columns past the last window get no gradient.
    if (h != 2 * oh || w != 2 * ow) memory.fill(dxp, 0, <usize>(h * w) << 2);
    maxPoolGrad2(xp, yp, dyp, dxp, w, oh, ow, op);
    return;
  }
  memory.fill(dxp, 0, <usize>(h * w) << 2);
  for (let oy = 0; oy < oh; oy++)
    for (let ox = 0; ox < ow; ox++) {
      const at = dxp + (<usize>argmax(xp, w, size, oy * s, ox * s) << 2);
      const o = <usize>(oy * ow + ox) << 2;
      const g = load<f32>(dyp + o);
      store<f32>(at, load<f32>(at) + (op == NO_ACTIVATION ? g : <f32>(<f64>g * derivativeFromOutput(op, load<f32>(yp + o)))));
    }
}

/** Params [..., x, dy, dx]. */
export function maxPoolGrad(params: usize, lo: i32, hi: i32): void {
  const h = MaxPoolGradParams.h(params), w = MaxPoolGradParams.w(params), size = MaxPoolGradParams.size(params), s = MaxPoolGradParams.stride(params), oh = MaxPoolGradParams.oh(params), ow = MaxPoolGradParams.ow(params);
  const x = MaxPoolGradParams.x(params);
  const dy = MaxPoolGradParams.dy(params);
  const dx = MaxPoolGradParams.dx(params);
  for (let q = lo; q < hi; q++) {
    const dyp = dy + (<usize>(q * oh * ow) << 2);
    maxPoolGradPlane(x + (<usize>(q * h * w) << 2), dyp, dyp, dx + (<usize>(q * h * w) << 2), h, w, size, s, oh, ow, NO_ACTIVATION);
  }
}

/**
 * Max pooling fused with a monotone activation (src/kernels/pool.ts maxPoolActKernel): the
 * activation of each window's maximum, as the unary export computes it (ReLU four lanes at a
 * time, the others per element in f64), so that the result is bit for bit the unfused pair's.
 */
export function maxPoolAct(params: usize, lo: i32, hi: i32): void {
  const h = MaxPoolActParams.h(params), w = MaxPoolActParams.w(params), size = MaxPoolActParams.size(params), s = MaxPoolActParams.stride(params), oh = MaxPoolActParams.oh(params), ow = MaxPoolActParams.ow(params);
  const op = MaxPoolActParams.op(params);
  const x = MaxPoolActParams.x(params);
  const y = MaxPoolActParams.y(params);
  for (let q = lo; q < hi; q++) maxPoolPlane(x + (<usize>(q * h * w) << 2), y + (<usize>(q * oh * ow) << 2), w, size, s, oh, ow, op);
}

/** Params [..., x, y, dy, dx]: the max-pool gradient of dy · act′(y), in maxPoolGrad's one pass. */
export function maxPoolActGrad(params: usize, lo: i32, hi: i32): void {
  const h = MaxPoolActGradParams.h(params), w = MaxPoolActGradParams.w(params), size = MaxPoolActGradParams.size(params), s = MaxPoolActGradParams.stride(params), oh = MaxPoolActGradParams.oh(params), ow = MaxPoolActGradParams.ow(params);
  const op = MaxPoolActGradParams.op(params);
  const x = MaxPoolActGradParams.x(params);
  const y = MaxPoolActGradParams.y(params);
  const dy = MaxPoolActGradParams.dy(params);
  const dx = MaxPoolActGradParams.dx(params);
  for (let q = lo; q < hi; q++) {
    const out = <usize>(q * oh * ow) << 2;
    maxPoolGradPlane(x + (<usize>(q * h * w) << 2), y + out, dy + out, dx + (<usize>(q * h * w) << 2), h, w, size, s, oh, ow, op);
  }
}

export function avgPool(params: usize, lo: i32, hi: i32): void {
  const h = AvgPoolParams.h(params), w = AvgPoolParams.w(params), size = AvgPoolParams.size(params), s = AvgPoolParams.stride(params), oh = AvgPoolParams.oh(params), ow = AvgPoolParams.ow(params);
  const x = AvgPoolParams.x(params);
  const y = AvgPoolParams.y(params);
  const inv: f32 = <f32>(1.0 / <f64>(size * size));
  for (let q = lo; q < hi; q++) {
    const xp = x + (<usize>(q * h * w) << 2);
    const yp = y + (<usize>(q * oh * ow) << 2);
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let acc: f32 = 0;
        for (let ky = 0; ky < size; ky++) {
          const row = xp + (<usize>((oy * s + ky) * w + ox * s) << 2);
          for (let kx = 0; kx < size; kx++) acc += load<f32>(row + (<usize>kx << 2));
        }
        store<f32>(yp + (<usize>(oy * ow + ox) << 2), acc * inv);
      }
  }
}

/** Params [..., dy, dx]. */
export function avgPoolGrad(params: usize, lo: i32, hi: i32): void {
  const h = AvgPoolGradParams.h(params), w = AvgPoolGradParams.w(params), size = AvgPoolGradParams.size(params), s = AvgPoolGradParams.stride(params), oh = AvgPoolGradParams.oh(params), ow = AvgPoolGradParams.ow(params);
  const dy = AvgPoolGradParams.dy(params);
  const dx = AvgPoolGradParams.dx(params);
  const inv: f32 = <f32>(1.0 / <f64>(size * size));
  for (let q = lo; q < hi; q++) {
    const dxp = dx + (<usize>(q * h * w) << 2);
    const dyp = dy + (<usize>(q * oh * ow) << 2);
    memory.fill(dxp, 0, <usize>(h * w) << 2);
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        const g = load<f32>(dyp + (<usize>(oy * ow + ox) << 2)) * inv;
        for (let ky = 0; ky < size; ky++) {
          const row = dxp + (<usize>((oy * s + ky) * w + ox * s) << 2);
          for (let kx = 0; kx < size; kx++) store<f32>(row + (<usize>kx << 2), load<f32>(row + (<usize>kx << 2)) + g);
        }
      }
  }
}
