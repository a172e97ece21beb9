/**
 * Optimizer updates in place, elements [lo, hi) per thread, four lanes at a time.
 */

import { AdamParams, MomentumParams, SgdParams } from './generated/params';

/** p ← p − lr (g + wd p). */
export function sgd(params: usize, lo: i32, hi: i32): void {
  const g = SgdParams.grad(params), p = SgdParams.param(params);
  const lr = SgdParams.lr(params), wd = SgdParams.weightDecay(params);
  const lv = f32x4.splat(lr), wv = f32x4.splat(wd);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const o = <usize>k << 2;
    const pv = v128.load(p + o);
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(lv, f32x4.add(v128.load(g + o), f32x4.mul(wv, pv)))));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    const pv = load<f32>(p + o);
    store<f32>(p + o, pv - lr * (load<f32>(g + o) + wd * pv));
  }
}

/** v ← μ v − lr g; p ← p + v (or p + μ v − lr g). */
export function momentum(params: usize, lo: i32, hi: i32): void {
  const g = MomentumParams.grad(params), p = MomentumParams.param(params), v = MomentumParams.velocity(params);
  const nesterov = MomentumParams.nesterov(params);
  const lr = MomentumParams.lr(params), wd = MomentumParams.weightDecay(params), mu = MomentumParams.momentum(params);
  const lv = f32x4.splat(lr), wv = f32x4.splat(wd), mv = f32x4.splat(mu);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const o = <usize>k << 2;
    const pv = v128.load(p + o);
    const step = f32x4.mul(lv, f32x4.add(v128.load(g + o), f32x4.mul(wv, pv)));
    const vv = f32x4.sub(f32x4.mul(mv, v128.load(v + o)), step);
    v128.store(v + o, vv);
    v128.store(p + o, f32x4.add(pv, nesterov ? f32x4.sub(f32x4.mul(mv, vv), step) : vv));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    const pv = load<f32>(p + o);
    const step = lr * (load<f32>(g + o) + wd * pv);
    const vv = mu * load<f32>(v + o) - step;
    store<f32>(v + o, vv);
    store<f32>(p + o, pv + (nesterov ? mu * vv - step : vv));
  }
}

/** Adam / AdamW. */
export function adam(params: usize, lo: i32, hi: i32): void {
  const g = AdamParams.grad(params), p = AdamParams.param(params), m = AdamParams.m(params), v = AdamParams.v(params);
  const decoupled = AdamParams.decoupled(params);
  const lr = AdamParams.lr(params), b1 = AdamParams.beta1(params), b2 = AdamParams.beta2(params), eps = AdamParams.eps(params);
  const wd = AdamParams.weightDecay(params), ic1 = AdamParams.invC1(params), ic2 = AdamParams.invC2(params);
  const lv = f32x4.splat(lr), b1v = f32x4.splat(b1), b2v = f32x4.splat(b2), a1 = f32x4.splat(1 - b1), a2 = f32x4.splat(1 - b2);
  const ev = f32x4.splat(eps), wv = f32x4.splat(wd), c1 = f32x4.splat(ic1), c2 = f32x4.splat(ic2);
  const zero = f32x4.splat(0);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const o = <usize>k << 2;
    const pv = v128.load(p + o);
    const wdp = f32x4.mul(wv, pv);
    const gv = f32x4.add(v128.load(g + o), decoupled ? zero : wdp);
    const mm = f32x4.add(f32x4.mul(b1v, v128.load(m + o)), f32x4.mul(a1, gv));
    const vv = f32x4.add(f32x4.mul(b2v, v128.load(v + o)), f32x4.mul(a2, f32x4.mul(gv, gv)));
    v128.store(m + o, mm);
    v128.store(v + o, vv);
    const update = f32x4.div(f32x4.mul(mm, c1), f32x4.add(f32x4.sqrt(f32x4.mul(vv, c2)), ev));
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(lv, f32x4.add(update, decoupled ? wdp : zero))));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    const pv = load<f32>(p + o);
    const gv = load<f32>(g + o) + (decoupled ? 0 : wd * pv);
    const mm = b1 * load<f32>(m + o) + (1 - b1) * gv;
    const vv = b2 * load<f32>(v + o) + (1 - b2) * gv * gv;
    store<f32>(m + o, mm);
    store<f32>(v + o, vv);
    const update = (mm * ic1) / (Mathf.sqrt(vv * ic2) + eps);
    store<f32>(p + o, pv - lr * (update + (decoupled ? wd * pv : 0)));
  }
}
