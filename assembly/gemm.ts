/**
 * The GEMM core every hot kernel runs on: operands packed into register-tile panels, a micro-
 * kernel of f32x4 accumulators, cache blocking by MC×KC (A, L2) and KC×NC (B, L3/L2).
 * Pointers are byte offsets into the shared memory; element strides are in floats.
 *
 * Two builds (assembly/asconfig.json): with relaxed SIMD the micro-tile is 6×8 on fused
 * multiply-adds (12 accumulators + 2 B vectors + 1 A splat fit x64's 15 usable registers);
 * without it, a multiply and an add need a temporary, so the tile is 4×8.
 */

/** Micro-tile: MR rows × NR columns of C held in f32x4 registers. */
export const MR = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
export const NR = 8;
/** Cache blocks: an MC×KC slice of A stays in L2, a KC×NR sliver of B in L1. MC is a multiple of both MRs. */
export const MC = 120;
export const KC = 256;
export const NC = 2048;

/** Per-thread scratch: packed A block, packed B block, one edge tile, and a row of im2col. */
export const PACK_A = 0;
export const PACK_B: usize = PACK_A + MC * KC * 4;
export const TILE: usize = PACK_B + KC * NC * 4;
export const ROW: usize = TILE + MR * NR * 4;
/** im2col rows: one row of up to NC pixels, or NR rows of up to KC pixels. */
export const ROW_FLOATS = NC * NR;
export const SCRATCH_BYTES: usize = ROW + ROW_FLOATS * 4;

/** dst[0, count) = src[0, count): for short rows, where memory.copy's call costs more than the copy. */
// @ts-ignore: decorator
@inline export function copy(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
    v128.store(dst + o, v128.load(src + o, 16), 16);
  }
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** How a micro-tile starts: from zero, from C itself (accumulate), or from a bias. */
export const INIT_ZERO = 0;
export const INIT_LOAD = 1;
export const INIT_COLBIAS = 2;
export const INIT_ROWBIAS = 3;

/** c + a·b: fused with relaxed SIMD, else a multiply and an add. */
// @ts-ignore: decorator
@inline export function fma(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** The starting value of accumulator row r, columns half h (0 or 1). */
// @ts-ignore: decorator
@inline function start(init: i32, c: usize, rs: usize, bias: usize, r: i32, h: i32): v128 {
  if (init == INIT_LOAD) return v128.load(c + <usize>r * rs + <usize>(h << 4));
  if (init == INIT_COLBIAS) return v128.load(bias + <usize>(h << 4));
  if (init == INIT_ROWBIAS) return v128.load32_splat(bias + <usize>(r << 2));
  return f32x4.splat(0);
}

/**
 * Rows of the A panel that starts where `left` rows remain: MR, except that the last 8 rows or
 * fewer than 5 go into 4-row panels (32 = 6+6+6+6+4+4), which the 4-row micro-kernel runs in
 * full instead of a padded 6-row edge tile through scratch.
 */
// @ts-ignore: decorator
@inline export function panelRows(left: i32): i32 {
  if (MR == 4) return 4;
  return left == 8 || left <= 4 ? 4 : MR;
}

/**
 * C[MR×8] (row stride ldc floats) = init + Σ_p pa[p][0..MR] ⊗ pb[p][0..8]. `pa` holds kc groups
 * of MR values, `pb` kc groups of NR values (the packed panels).
 */
export function micro(rows: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, init: i32, bias: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD && rows == 6) micro6(kc, pa, pb, c, ldc, init, bias);
  else micro4(kc, pa, pb, c, ldc, init, bias);
}

function micro4(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, init: i32, bias: usize): void {
  const rs = (<usize>ldc) << 2;
  let c00 = start(init, c, rs, bias, 0, 0), c01 = start(init, c, rs, bias, 0, 1);
  let c10 = start(init, c, rs, bias, 1, 0), c11 = start(init, c, rs, bias, 1, 1);
  let c20 = start(init, c, rs, bias, 2, 0), c21 = start(init, c, rs, bias, 2, 1);
  let c30 = start(init, c, rs, bias, 3, 0), c31 = start(init, c, rs, bias, 3, 1);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = fma(c00, a, b0); c01 = fma(c01, a, b1);
    a = v128.load32_splat(pa, 4);
    c10 = fma(c10, a, b0); c11 = fma(c11, a, b1);
    a = v128.load32_splat(pa, 8);
    c20 = fma(c20, a, b0); c21 = fma(c21, a, b1);
    a = v128.load32_splat(pa, 12);
    c30 = fma(c30, a, b0); c31 = fma(c31, a, b1);
    pa += 16;
    pb += NR * 4;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += rs; v128.store(c, c10); v128.store(c, c11, 16);
  c += rs; v128.store(c, c20); v128.store(c, c21, 16);
  c += rs; v128.store(c, c30); v128.store(c, c31, 16);
}

function micro6(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, init: i32, bias: usize): void {
  const rs = (<usize>ldc) << 2;
  let c00 = start(init, c, rs, bias, 0, 0), c01 = start(init, c, rs, bias, 0, 1);
  let c10 = start(init, c, rs, bias, 1, 0), c11 = start(init, c, rs, bias, 1, 1);
  let c20 = start(init, c, rs, bias, 2, 0), c21 = start(init, c, rs, bias, 2, 1);
  let c30 = start(init, c, rs, bias, 3, 0), c31 = start(init, c, rs, bias, 3, 1);
  let c40 = start(init, c, rs, bias, 4, 0), c41 = start(init, c, rs, bias, 4, 1);
  let c50 = start(init, c, rs, bias, 5, 0), c51 = start(init, c, rs, bias, 5, 1);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = fma(c00, a, b0); c01 = fma(c01, a, b1);
    a = v128.load32_splat(pa, 4);
    c10 = fma(c10, a, b0); c11 = fma(c11, a, b1);
    a = v128.load32_splat(pa, 8);
    c20 = fma(c20, a, b0); c21 = fma(c21, a, b1);
    a = v128.load32_splat(pa, 12);
    c30 = fma(c30, a, b0); c31 = fma(c31, a, b1);
    a = v128.load32_splat(pa, 16);
    c40 = fma(c40, a, b0); c41 = fma(c41, a, b1);
    a = v128.load32_splat(pa, 20);
    c50 = fma(c50, a, b0); c51 = fma(c51, a, b1);
    pa += 24;
    pb += NR * 4;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += rs; v128.store(c, c10); v128.store(c, c11, 16);
  c += rs; v128.store(c, c20); v128.store(c, c21, 16);
  c += rs; v128.store(c, c30); v128.store(c, c31, 16);
  c += rs; v128.store(c, c40); v128.store(c, c41, 16);
  c += rs; v128.store(c, c50); v128.store(c, c51, 16);
}

/**
 * C[mc×nc] (row stride ldc) = init + packedA · packedB, tile by tile (A's panels as panelRows
 * cuts them); ragged edge tiles go through a scratch tile so the micro-kernel never reads or
 * writes past the matrix.
 */
export function macro(mc: i32, nc: i32, kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, init: i32, bias: usize, tile: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const pbj = pb + <usize>(jr * kc) * 4;
    let width = MR;
    for (let ir = 0; ir < mc; ir += width) {
      width = panelRows(mc - ir);
      const mr = min(width, mc - ir);
      const pai = pa + <usize>(ir * kc) * 4;
      const cp = c + <usize>(ir * ldc + jr) * 4;
      const bp = init == INIT_COLBIAS ? bias + <usize>jr * 4 : bias + <usize>ir * 4;
      if (mr == width && nr == NR) {
        micro(width, kc, pai, pbj, cp, ldc, init, bp);
        continue;
      }
      for (let r = 0; r < width; r++)
        for (let q = 0; q < NR; q++) {
          let v: f32 = 0;
          if (r < mr && q < nr) {
            if (init == INIT_LOAD) v = load<f32>(cp + <usize>(r * ldc + q) * 4);
            else if (init == INIT_COLBIAS) v = load<f32>(bp + <usize>q * 4);
            else if (init == INIT_ROWBIAS) v = load<f32>(bp + <usize>r * 4);
          }
          store<f32>(tile + <usize>(r * NR + q) * 4, v);
        }
      micro(width, kc, pai, pbj, tile, NR, INIT_LOAD, 0);
      for (let r = 0; r < mr; r++)
        for (let q = 0; q < nr; q++) store<f32>(cp + <usize>(r * ldc + q) * 4, load<f32>(tile + <usize>(r * NR + q) * 4));
    }
  }
}

// @ts-ignore: decorator
@inline function transpose4(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128, step: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * step, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * Interleaves `rows` (≤ width) source rows, each kc floats apart by `ps` floats along p and
 * `rowStride` floats between rows, into dst[p][width] (zero-padding missing rows).
 */
export function interleave(src: usize, rowStride: i32, ps: i32, rows: i32, kc: i32, width: i32, dst: usize): void {
  const rsb = (<usize>rowStride) << 2;
  const wb = (<usize>width) << 2;
  // Groups of four contiguous rows: 4×4 register transposes, then the rows left one at a time.
  const full = ps == 1 ? rows & ~3 : 0;
  let p = 0;
  if (full > 0) {
    for (; p + 4 <= kc; p += 4) {
      for (let g = 0; g < full; g += 4) {
        const s = src + <usize>g * rsb + (<usize>p << 2);
        transpose4(dst + (<usize>p) * wb + (<usize>g << 2), v128.load(s), v128.load(s + rsb), v128.load(s + 2 * rsb), v128.load(s + 3 * rsb), wb);
      }
    }
  }
  const psb = (<usize>ps) << 2;
  for (let q = 0; q < kc; q++) {
    const d = dst + (<usize>q) * wb;
    const s = src + (<usize>q) * psb;
    let r = q < p ? full : 0;
    for (; r < rows; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + <usize>r * rsb));
    for (; r < width; r++) store<f32>(d + (<usize>r << 2), 0);
  }
}

/** dst[p][width] = src[p·ps + r] for r < cols (contiguous along r), zero-padded to width. */
export function gather(src: usize, ps: i32, cols: i32, kc: i32, width: i32, dst: usize): void {
  const psb = (<usize>ps) << 2;
  const wb = (<usize>width) << 2;
  if (cols == width) {
    if (width == 8) {
      for (let p = 0; p < kc; p++) {
        const s = src + (<usize>p) * psb;
        const d = dst + (<usize>p) * wb;
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
      return;
    }
    if (width == 4) {
      for (let p = 0; p < kc; p++) v128.store(dst + (<usize>p) * wb, v128.load(src + (<usize>p) * psb));
      return;
    }
    if (width == 6) {
      for (let p = 0; p < kc; p++) {
        const s = src + (<usize>p) * psb;
        const d = dst + (<usize>p) * wb;
        v128.store(d, v128.load(s));
        store<u64>(d, load<u64>(s, 16), 16);
      }
      return;
    }
  }
  for (let p = 0; p < kc; p++) {
    const s = src + (<usize>p) * psb;
    const d = dst + (<usize>p) * wb;
    let r = 0;
    for (; r < cols; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + (<usize>r << 2)));
    for (; r < width; r++) store<f32>(d + (<usize>r << 2), 0);
  }
}

/**
 * Packs the block rows [i0, i0+mc) × k [p0, p0+kc) of a strided matrix, element (i, p) at
 * a + 4(i·si + p·sp), into A's row panels (`width` MR: as panelRows cuts them) or into NR-column
 * panels of Bᵀ (`width` NR: the same operation).
 */
export function pack(a: usize, si: i32, sp: i32, i0: i32, mc: i32, p0: i32, kc: i32, width: i32, dst: usize): void {
  const rowsA = width == MR;
  if (!rowsA && si == 1 && (sp & 1023) == 0) {
    packColumns(a + (<usize>(i0 + p0 * sp)) * 4, sp, mc, kc, dst);
    return;
  }
  for (let ir = 0; ir < mc; ir += width) {
    if (rowsA) width = panelRows(mc - ir);
    const rows = min(width, mc - ir);
    const s = a + (<usize>((i0 + ir) * si + p0 * sp)) * 4;
    const d = dst + (<usize>(ir * kc)) * 4;
    if (si == 1) gather(s, sp, rows, kc, width, d);
    else interleave(s, si, sp, rows, kc, width, d);
  }
}

/**
 * B's NR-column panels from a matrix contiguous along its columns whose rows are a multiple of
 * 4 KiB apart (ps a multiple of 1024: the seed CNN's 9216-wide dense layer), element (p, j) at
 * src + 4(p·ps + j), two rows at a time: each source row is read once in full lines, and each
 * panel gets one full line a pair of rows. Packing panel by panel reads half lines kc rows apart,
 * which at such a stride all fall in one L1 set, so every line came in from L2 twice (measured:
 * ×1.07 on the seed's input gradient). At other strides panel by panel is faster (×0.94 here on
 * the MLP's), as its writes run along one panel.
 */
function packColumns(src: usize, ps: i32, cols: i32, kc: i32, dst: usize): void {
  const psb = (<usize>ps) << 2;
  const panel = (<usize>kc) * NR * 4;
  const full = cols & ~(NR - 1);
  const fullB = (<usize>full) << 2;
  let p = 0;
  for (; p + 2 <= kc; p += 2) {
    const s0 = src + (<usize>p) * psb;
    const s1 = s0 + psb;
    let d = dst + (<usize>p) * NR * 4;
    for (let j: usize = 0; j < fullB; j += NR * 4) {
      v128.store(d, v128.load(s0 + j));
      v128.store(d, v128.load(s0 + j, 16), 16);
      v128.store(d, v128.load(s1 + j), 32);
      v128.store(d, v128.load(s1 + j, 16), 48);
      d += panel;
    }
  }
  for (; p < kc; p++) {
    const s0 = src + (<usize>p) * psb;
    let d = dst + (<usize>p) * NR * 4;
    for (let j: usize = 0; j < fullB; j += NR * 4) {
      v128.store(d, v128.load(s0 + j));
      v128.store(d, v128.load(s0 + j, 16), 16);
      d += panel;
    }
  }
  // The last, ragged panel: the columns left, zero-padded to NR.
  if (full < cols) gather(src + fullB, ps, cols - full, kc, NR, dst + (<usize>(full / NR)) * panel);
}

/** Splits [0, total) into blocks of at most `max`, of nearly equal size. */
// @ts-ignore: decorator
@inline export function blockOf(total: i32, max: i32): i32 {
  const blocks = (total + max - 1) / max;
  return (total + blocks - 1) / blocks;
}

/**
 * Rows of one packed A block of depth kc: MC at the full depth KC, more when the block is
 * shallower (the same bytes, MC·KC floats), so that a shallow product (a weight gradient over a
 * batch of 64) packs all its rows in one block. A multiple of 24, so of both MRs: the 4-row
 * panels that end a block never pad it past the limit.
 */
// @ts-ignore: decorator
@inline export function rowsPerBlock(kc: i32): i32 {
  return max(MC, (MC * KC) / (kc * 24) * 24);
}

/**
 * C[m×n] (+bias per column) = op(A)·op(B) over the rows [i0, i1) and columns [j0, j1) of C.
 * A(i, p) = a[i·sai + p·sap], B(p, j) = b[p·sbp + j·sbj].
 */
export function gemm(m: i32, n: i32, k: i32, a: usize, sai: i32, sap: i32, b: usize, sbp: i32, sbj: i32,
  c: usize, ldc: i32, bias: usize, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize): void {
  const pa = scratch + PACK_A;
  const pb = scratch + PACK_B;
  const tile = scratch + TILE;
  const kcMax = blockOf(k, KC);
  const mcMax = rowsPerBlock(kcMax);
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    let pc = 0;
    do {
      const kc = min(kcMax, k - pc);
      // B(p, j) for NR-column panels is the transpose problem of A's MR-row panels.
      pack(b, sbj, sbp, jc, nc, pc, kc, NR, pb);
      for (let ic = i0; ic < i1; ic += mcMax) {
        const mc = min(mcMax, i1 - ic);
        pack(a, sai, sap, ic, mc, pc, kc, MR, pa);
        const init = pc > 0 ? INIT_LOAD : bias ? INIT_COLBIAS : INIT_ZERO;
        macro(mc, nc, kc, pa, pb, c + (<usize>(ic * ldc + jc)) * 4, ldc, init, bias ? bias + (<usize>jc) * 4 : 0, tile);
      }
      pc += kc;
    } while (pc < k);
  }
  void m; void n;
}

