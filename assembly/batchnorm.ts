/**
 * The batch-norm family (src/kernels/batchnorm.ts) over [n, c, s], channels [lo, hi) per thread:
 * a channel's n segments of s contiguous values are summed four lanes wide, in f32 with f64
 * totals per segment.
 */

import { BnBackwardParams, BnForwardParams, BnStatsParams } from './generated/params';

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** Σ x and Σ (x − mu)² over one segment. */
function segSum(x: usize, s: i32): f64 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= s; k += 4) acc = f32x4.add(acc, v128.load(x + (<usize>k << 2)));
  let t = hsum(acc);
  for (; k < s; k++) t += load<f32>(x + (<usize>k << 2));
  return t;
}

function segSq(x: usize, s: i32, mu: f32): f64 {
  let acc = f32x4.splat(0);
  const m = f32x4.splat(mu);
  let k = 0;
  for (; k + 4 <= s; k += 4) {
    const d = f32x4.sub(v128.load(x + (<usize>k << 2)), m);
    acc = f32x4.add(acc, f32x4.mul(d, d));
  }
  let t = hsum(acc);
  for (; k < s; k++) {
    const d = <f64>(load<f32>(x + (<usize>k << 2)) - mu);
    t += d * d;
  }
  return t;
}

export function bnStats(params: usize, lo: i32, hi: i32): void {
  const n = BnStatsParams.n(params), c = BnStatsParams.c(params), s = BnStatsParams.s(params);
  const x = BnStatsParams.x(params), mean = BnStatsParams.mean(params), variance = BnStatsParams.variance(params);
  const count = <f64>(n * s);
  for (let ch = lo; ch < hi; ch++) {
    let sum: f64 = 0;
    for (let b = 0; b < n; b++) sum += segSum(x + (<usize>((b * c + ch) * s) << 2), s);
    const mu = <f32>(sum / count);
    let sq: f64 = 0;
    for (let b = 0; b < n; b++) sq += segSq(x + (<usize>((b * c + ch) * s) << 2), s, mu);
    store<f32>(mean + (<usize>ch << 2), mu);
    store<f32>(variance + (<usize>ch << 2), <f32>(sq / count));
  }
}

/** y = γ (x − μ)/√(σ² + ε) + β. */
export function bnForward(params: usize, lo: i32, hi: i32): void {
  const n = BnForwardParams.n(params), c = BnForwardParams.c(params), s = BnForwardParams.s(params);
  const x = BnForwardParams.x(params), mean = BnForwardParams.mean(params), variance = BnForwardParams.variance(params);
  const gamma = BnForwardParams.gamma(params), beta = BnForwardParams.beta(params), y = BnForwardParams.y(params);
  const eps = BnForwardParams.eps(params);
  for (let ch = lo; ch < hi; ch++) {
    const o = <usize>ch << 2;
    const inv = <f32>(1 / Math.sqrt(<f64>load<f32>(variance + o) + <f64>eps));
    const scale = load<f32>(gamma + o) * inv;
    const shift = load<f32>(beta + o) - load<f32>(mean + o) * scale;
    const sv = f32x4.splat(scale);
    const tv = f32x4.splat(shift);
    for (let b = 0; b < n; b++) {
      const at = <usize>((b * c + ch) * s) << 2;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const q = at + (<usize>k << 2);
        v128.store(y + q, f32x4.add(f32x4.mul(v128.load(x + q), sv), tv));
      }
      for (; k < s; k++) {
        const q = at + (<usize>k << 2);
        store<f32>(y + q, load<f32>(x + q) * scale + shift);
      }
    }
  }
}

/** dx, dγ, dβ. */
export function bnBackward(params: usize, lo: i32, hi: i32): void {
  const n = BnBackwardParams.n(params), c = BnBackwardParams.c(params), s = BnBackwardParams.s(params);
  const x = BnBackwardParams.x(params), dy = BnBackwardParams.dy(params), mean = BnBackwardParams.mean(params);
  const variance = BnBackwardParams.variance(params), gamma = BnBackwardParams.gamma(params);
  const dx = BnBackwardParams.dx(params), dgamma = BnBackwardParams.dgamma(params), dbeta = BnBackwardParams.dbeta(params);
  const eps = BnBackwardParams.eps(params);
  const count = <f64>(n * s);
  for (let ch = lo; ch < hi; ch++) {
    const o = <usize>ch << 2;
    const inv = 1 / Math.sqrt(<f64>load<f32>(variance + o) + <f64>eps);
    const mu = load<f32>(mean + o);
    const mv = f32x4.splat(mu);
    let sumDy: f64 = 0;
    let sumDyX: f64 = 0;
    for (let b = 0; b < n; b++) {
      const at = <usize>((b * c + ch) * s) << 2;
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const q = at + (<usize>k << 2);
        const g = v128.load(dy + q);
        a1 = f32x4.add(a1, g);
        a2 = f32x4.add(a2, f32x4.mul(g, f32x4.sub(v128.load(x + q), mv)));
      }
      sumDy += hsum(a1);
      sumDyX += hsum(a2);
      for (; k < s; k++) {
        const q = at + (<usize>k << 2);
        const g = <f64>load<f32>(dy + q);
        sumDy += g;
        sumDyX += g * <f64>(load<f32>(x + q) - mu);
      }
    }
    sumDyX *= inv;
    store<f32>(dgamma + o, <f32>sumDyX);
    store<f32>(dbeta + o, <f32>sumDy);
    // dx = k1·dy − k2·(x − μ) − k3 with k1 = γ·inv, k2 = γ·inv²·ΣdyX̂/count, k3 = γ·inv·Σdy/count.
    const gi = <f64>load<f32>(gamma + o) * inv;
    const k1 = <f32>gi;
    const k2 = <f32>(gi * inv * sumDyX / count);
    const k3 = <f32>(gi * sumDy / count);
    const v1 = f32x4.splat(k1), v2 = f32x4.splat(k2), v3 = f32x4.splat(k3);
    for (let b = 0; b < n; b++) {
      const at = <usize>((b * c + ch) * s) << 2;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const q = at + (<usize>k << 2);
        const d = f32x4.sub(v128.load(x + q), mv);
        v128.store(dx + q, f32x4.sub(f32x4.sub(f32x4.mul(v128.load(dy + q), v1), f32x4.mul(d, v2)), v3));
      }
      for (; k < s; k++) {
        const q = at + (<usize>k << 2);
        store<f32>(dx + q, load<f32>(dy + q) * k1 - (load<f32>(x + q) - mu) * k2 - k3);
      }
    }
  }
}
