/**
 * The roofline of these kernels: the f32x4 multiply-add rate one thread reaches with nothing but
 * registers, the bound the GEMM's micro-kernels (gemm.ts) work against. Twelve independent chains
 * c ← c·a + b, as many accumulators as the 6×8 micro-tile holds, hide the latency of each step;
 * with relaxed SIMD each step is one fused multiply-add, without it a multiply and an add, as the
 * plain build's micro-kernel does. Each chunk writes the sum of its lanes to sums[chunk], so the
 * work cannot be dropped and its result can be checked.
 */
import { FmaPeakParams as P } from './generated/params';

// @ts-ignore: decorator
@inline function step(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(c, a, b);
  return f32x4.add(f32x4.mul(c, a), b);
}

/** Chain i starts at i in every lane (distinct chains, which no compiler may merge). */
export function fmaPeak(params: usize, lo: i32, hi: i32, scratch: usize, chunk: i32): void {
  const n = P.iterations(params) * (hi - lo);
  const a = f32x4.splat(P.a(params));
  const b = f32x4.splat(P.b(params));
  let c0 = f32x4.splat(0), c1 = f32x4.splat(1), c2 = f32x4.splat(2), c3 = f32x4.splat(3);
  let c4 = f32x4.splat(4), c5 = f32x4.splat(5), c6 = f32x4.splat(6), c7 = f32x4.splat(7);
  let c8 = f32x4.splat(8), c9 = f32x4.splat(9), c10 = f32x4.splat(10), c11 = f32x4.splat(11);
  for (let i = 0; i < n; i++) {
    c0 = step(c0, a, b); c1 = step(c1, a, b); c2 = step(c2, a, b); c3 = step(c3, a, b);
    c4 = step(c4, a, b); c5 = step(c5, a, b); c6 = step(c6, a, b); c7 = step(c7, a, b);
    c8 = step(c8, a, b); c9 = step(c9, a, b); c10 = step(c10, a, b); c11 = step(c11, a, b);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)));
  const t = f32x4.add(f32x4.add(s, f32x4.add(c8, c9)), f32x4.add(c10, c11));
  store<f32>(P.sums(params) + (<usize>chunk << 2), f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1) + f32x4.extract_lane(t, 2) + f32x4.extract_lane(t, 3));
  void scratch;
}
