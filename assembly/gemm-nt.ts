/**
 * C = A·Bᵀ (+ bias per column) when both operands run contiguously along the depth: a Dense
 * layer's forward product x·Wᵀ. Each element is a dot product of two rows, so no operand is
 * packed: a 2×4 tile of C keeps eight f32x4 accumulators over the depth, four floats at a time,
 * reading four rows of B (in L1 across a column of tiles) and two of A (from L2) in place. Packing costs
 * the packed GEMM (gemm.ts) about as much as its arithmetic on these shapes, where one of m and n
 * is a batch of 32 to 256 and the depth is long; and with nothing packed, a split between threads
 * repacks nothing either.
 *
 * Every element, in a tile or at an edge, takes the same sum in the same order (lanes by p mod 4,
 * their fixed horizontal sum, the scalar tail, one depth block after another), so C's bits do not
 * depend on how the rows or columns are split between threads.
 */
import { blockOf, fma, INIT_COLBIAS, INIT_LOAD, INIT_ZERO } from './gemm';

/** Depth of a block: 4 rows of B (16 KiB) stay in L1, and a batch's rows of A in L2. */
const KD = 1024;

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** C(i, j) from the lane sums `acc` of rows a and b over [0, kv), the scalar tail [kv, kc), and `init`. */
// @ts-ignore: decorator
@inline function put(acc: v128, a: usize, b: usize, kv: usize, kc: usize, cp: usize, init: i32, bias: usize): void {
  let s = hsum(acc);
  for (let p = kv; p < kc; p += 4) s += load<f32>(a + p) * load<f32>(b + p);
  if (init == INIT_LOAD) s += load<f32>(cp);
  else if (init == INIT_COLBIAS) s += load<f32>(bias);
  store<f32>(cp, s);
}

/**
 * Rows [i0, i1) × columns [j0, j1) of C (row stride ldc) = A·Bᵀ, A(i, p) = a[i·lda + p],
 * B(p, j) = b[j·ldb + p], plus bias[j] when bias is not 0.
 */
export function gemmNT(k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const kcMax = blockOf(k, KD);
  const ra = (<usize>lda) << 2;
  const rb = (<usize>ldb) << 2;
  const rc = (<usize>ldc) << 2;
  let pc = 0;
  do {
    const kc = min(kcMax, k - pc);
    const kcb = (<usize>kc) << 2;
    const kv = (<usize>(kc & ~3)) << 2;
    const init = pc > 0 ? INIT_LOAD : bias ? INIT_COLBIAS : INIT_ZERO;
    const ap = a + (<usize>pc << 2);
    const bp = b + (<usize>pc << 2);
    // Four rows of B (16 KiB at the full depth) stay in L1 while every pair of A's rows streams
    // past. At the edges the missing rows repeat the last one and their sums are not stored: a
    // lone row or column runs as fast as a full tile, and in the same order.
    for (let j = j0; j < j1; j += 4) {
      const nj = j1 - j;
      const b0 = bp + <usize>j * rb;
      const b1 = nj > 1 ? b0 + rb : b0;
      const b2 = nj > 2 ? b1 + rb : b1;
      const b3 = nj > 3 ? b2 + rb : b2;
      const cj = <usize>j << 2;
      const bj = bias + cj;
      for (let i = i0; i < i1; i += 2) {
        const two = i + 1 < i1;
        const a0 = ap + <usize>i * ra;
        const a1 = two ? a0 + ra : a0;
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
        let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
        for (let p: usize = 0; p < kv; p += 16) {
          const y0 = v128.load(b0 + p);
          const y1 = v128.load(b1 + p);
          const y2 = v128.load(b2 + p);
          const y3 = v128.load(b3 + p);
          let x = v128.load(a0 + p);
          c00 = fma(c00, x, y0); c01 = fma(c01, x, y1); c02 = fma(c02, x, y2); c03 = fma(c03, x, y3);
          x = v128.load(a1 + p);
          c10 = fma(c10, x, y0); c11 = fma(c11, x, y1); c12 = fma(c12, x, y2); c13 = fma(c13, x, y3);
        }
        const c0 = c + <usize>i * rc + cj;
        put(c00, a0, b0, kv, kcb, c0, init, bj);
        if (nj > 1) put(c01, a0, b1, kv, kcb, c0 + 4, init, bj + 4);
        if (nj > 2) put(c02, a0, b2, kv, kcb, c0 + 8, init, bj + 8);
        if (nj > 3) put(c03, a0, b3, kv, kcb, c0 + 12, init, bj + 12);
        if (!two) continue;
        const c1 = c0 + rc;
        put(c10, a1, b0, kv, kcb, c1, init, bj);
        if (nj > 1) put(c11, a1, b1, kv, kcb, c1 + 4, init, bj + 4);
        if (nj > 2) put(c12, a1, b2, kv, kcb, c1 + 8, init, bj + 8);
        if (nj > 3) put(c13, a1, b3, kv, kcb, c1 + 12, init, bj + 12);
      }
    }
    pc += kc;
  } while (pc < k);
}
