/**
 * Direct convolution, stride 1 and no padding, over the wide positions of assembly/conv2d.ts
 * (j = oy·w + ox, ox over the whole input row): tap (ci, ky, kx) reads input plane ci from
 * ky·w + kx on, so neighbouring positions are contiguous and the input needs no packing. Where
 * channels are few the GEMM path's packing costs as much as its arithmetic (each packed value
 * feeds only k or c·kh·kw multiply-adds); these kernels read the input as it lies.
 *
 * Both run gemm.ts's micro-tile with one operand read from the image in place of a packed panel:
 * the forward pass 6 channels × 8 positions, B the input at a tap's offset and A the weights
 * packed once a call; the weight gradient 4 taps × 8 channels, A the input at four taps' offsets
 * and B dY transposed (the one copy, which every tap reuses). The forward pass's last 8 positions
 * may run up to 7 lanes past the image, lanes it drops; the heap keeps 64 bytes past its last
 * block (src/backends/wasm/heap.ts), so those reads stay inside the memory.
 */
import { copy, fma, interleave, MR, NR, pack, PACK_A, PACK_B, panelRows, ROW, TILE } from './gemm';
import { Conv2dGeometryParams as G, Conv2dGradWeightParams, Conv2dParams } from './generated/params';

/** Bytes of transposed dY a weight-gradient group keeps: an L2-sized share. */
const GROUP_BYTES = 256 << 10;

/** Writes each tap's byte offset in an image, (ci·h + ky)·w + kx floats, to `shifts`; returns the tap count. */
function tapShifts(g: usize, shifts: usize): i32 {
  let t = 0;
  for (let ci = 0; ci < G.c(g); ci++)
    for (let ky = 0; ky < G.kh(g); ky++)
      for (let kx = 0; kx < G.kw(g); kx++) {
        store<i32>(shifts + (<usize>t << 2), ((ci * G.h(g) + ky) * G.w(g) + kx) * 4);
        t++;
      }
  return t;
}

/** Wide positions of one image, (oh − 1)·w + ow. */
// @ts-ignore: decorator
@inline export function widePositions(g: usize): i32 {
  return (G.oh(g) - 1) * G.w(g) + G.ow(g);
}

/**
 * C[6 × 8] (row stride `ldc` floats) = bias + Σ_t pa[t][0..6] ⊗ x[shift_t + 0..8]: gemm.ts's
 * micro-kernel with its B operand read from the image in place of a packed panel.
 */
function direct6(taps: i32, pa: usize, xj: usize, shifts: usize, c: usize, ldc: i32, bias: usize): void {
  const rs = (<usize>ldc) << 2;
  let c00 = rowStart(bias, 0), c01 = c00, c10 = rowStart(bias, 1), c11 = c10, c20 = rowStart(bias, 2), c21 = c20;
  let c30 = rowStart(bias, 3), c31 = c30, c40 = rowStart(bias, 4), c41 = c40, c50 = rowStart(bias, 5), c51 = c50;
  for (let t = 0; t < taps; t++) {
    const s = xj + <usize>load<i32>(shifts + (<usize>t << 2));
    const b0 = v128.load(s);
    const b1 = v128.load(s, 16);
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
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += rs; v128.store(c, c10); v128.store(c, c11, 16);
  c += rs; v128.store(c, c20); v128.store(c, c21, 16);
  c += rs; v128.store(c, c30); v128.store(c, c31, 16);
  c += rs; v128.store(c, c40); v128.store(c, c41, 16);
  c += rs; v128.store(c, c50); v128.store(c, c51, 16);
}

/** direct6 for a 4-row panel. */
function direct4(taps: i32, pa: usize, xj: usize, shifts: usize, c: usize, ldc: i32, bias: usize): void {
  const rs = (<usize>ldc) << 2;
  let c00 = rowStart(bias, 0), c01 = c00, c10 = rowStart(bias, 1), c11 = c10;
  let c20 = rowStart(bias, 2), c21 = c20, c30 = rowStart(bias, 3), c31 = c30;
  for (let t = 0; t < taps; t++) {
    const s = xj + <usize>load<i32>(shifts + (<usize>t << 2));
    const b0 = v128.load(s);
    const b1 = v128.load(s, 16);
    let a = v128.load32_splat(pa);
    c00 = fma(c00, a, b0); c01 = fma(c01, a, b1);
    a = v128.load32_splat(pa, 4);
    c10 = fma(c10, a, b0); c11 = fma(c11, a, b1);
    a = v128.load32_splat(pa, 8);
    c20 = fma(c20, a, b0); c21 = fma(c21, a, b1);
    a = v128.load32_splat(pa, 12);
    c30 = fma(c30, a, b0); c31 = fma(c31, a, b1);
    pa += 16;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += rs; v128.store(c, c10); v128.store(c, c11, 16);
  c += rs; v128.store(c, c20); v128.store(c, c21, 16);
  c += rs; v128.store(c, c30); v128.store(c, c31, 16);
}

/** Row r's starting accumulator: its bias, or zero without one. */
// @ts-ignore: decorator
@inline function rowStart(bias: usize, r: i32): v128 {
  return bias ? v128.load32_splat(bias + (<usize>r << 2)) : f32x4.splat(0);
}

/**
 * Forward over images [lo, hi): the weights packed once into the micro-kernel's row panels, then
 * each image's k wide rows into the thread's buffer (`columns`, k rows of `wide` floats a thread),
 * 8 positions × one panel at a time, and the valid columns into y. A panel with rows past k
 * (the last, for some k) goes through a scratch tile.
 */
export function conv2dDirect(params: usize, lo: i32, hi: i32, scratch: usize, tid: i32): void {
  const g = params;
  const x = Conv2dParams.x(params);
  const bias = Conv2dParams.bias(params);
  const y = Conv2dParams.y(params);
  const npad = Conv2dParams.wide(params);
  const M = G.k(g);
  const N = G.oh(g) * G.ow(g);
  const shifts = scratch + PACK_A;
  const K = tapShifts(g, shifts);
  const pa = scratch + PACK_B;
  pack(Conv2dParams.weights(params), K, 1, 0, M, 0, K, MR, pa);
  const tile = scratch + TILE;
  const buf: usize = Conv2dParams.columns(params) + (<usize>(tid * M * npad)) * 4;
  const image = G.c(g) * G.h(g) * G.w(g);
  for (let b = lo; b < hi; b++) {
    const xb = x + (<usize>(b * image)) * 4;
    for (let j = 0; j < npad; j += NR) {
      const xj = xb + (<usize>j << 2);
      let width = MR;
      for (let ir = 0; ir < M; ir += width) {
        width = panelRows(M - ir);
        const rows = min(width, M - ir);
        const pai = pa + (<usize>(ir * K)) * 4;
        const bi = bias ? bias + (<usize>ir << 2) : 0;
        const c = buf + (<usize>(ir * npad + j)) * 4;
        if (rows < width) {
          // bias rows past k would be read: the tile starts from zero and the bias is added on copying
          if (width == 6) direct6(K, pai, xj, shifts, tile, NR, 0);
          else direct4(K, pai, xj, shifts, tile, NR, 0);
          for (let r = 0; r < rows; r++) {
            const br: f32 = bias ? load<f32>(bi + (<usize>r << 2)) : 0;
            for (let q = 0; q < NR; q++) store<f32>(c + (<usize>(r * npad + q)) * 4, load<f32>(tile + (<usize>(r * NR + q)) * 4) + br);
          }
        } else if (width == 6) direct6(K, pai, xj, shifts, c, npad, bi);
        else direct4(K, pai, xj, shifts, c, npad, bi);
      }
    }
    const yb = y + (<usize>(b * M * N)) * 4;
    for (let m = 0; m < M; m++)
      for (let oy = 0; oy < G.oh(g); oy++) copy(yb + (<usize>(m * N + oy * G.ow(g))) * 4, buf + (<usize>(m * npad + oy * G.w(g))) * 4, G.ow(g));
  }
}

/**
 * dY of images [b0, b0+count) transposed into the wide layout: dyT[i][j][k] over the wide
 * positions j (zero at ox ≥ ow) and k padded with zeros to `kpad`; with `db` (else 0) each
 * channel's sum is added into db[k].
 */
function transposeDy(g: usize, dy: usize, b0: i32, count: i32, kpad: i32, dst: usize, db: usize): void {
  const M = G.k(g), ow = G.ow(g), w = G.w(g), oh = G.oh(g), N = oh * ow;
  const pw = widePositions(g);
  const z = f32x4.splat(0);
  const gap = (w - ow) * kpad;
  for (let i = 0; i < count; i++) {
    const di = dst + (<usize>(i * pw * kpad)) * 4;
    const src = dy + (<usize>((b0 + i) * M * N)) * 4;
    for (let oy = 0; oy < oh; oy++) {
      const row = di + (<usize>(oy * w * kpad)) * 4;
      interleave(src + (<usize>(oy * ow)) * 4, N, 1, M, ow, kpad, row);
      if (oy + 1 < oh) for (let e = 0; e < gap; e += 4) v128.store(row + (<usize>((ow * kpad + e) << 2)), z);
    }
    if (db) addRowSums(src, N, M, N, db);
  }
}

/** sums[r] += Σ of row r's `count` values, rows `stride` floats apart, for r < rows. */
export function addRowSums(src: usize, stride: i32, rows: i32, count: i32, sums: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = src + (<usize>(r * stride)) * 4;
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= count; i += 4) acc = f32x4.add(acc, v128.load(row + (<usize>i << 2)));
    let t: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (; i < count; i++) t += load<f32>(row + (<usize>i << 2));
    const at = sums + (<usize>r << 2);
    store<f32>(at, load<f32>(at) + t);
  }
}

/**
 * tile[4 × 8] = Σ over images i < count and wide positions j of x_i[shift_r + j] ⊗ dyT_i[j][0..8]:
 * gemm.ts's micro-kernel with its A operand (four taps' values at one position) read from the
 * image, its B from the transposed dY. Four taps, not six: six taps' addresses and twelve
 * accumulators do not fit x64's registers together (measured: V8 spilled four accumulators).
 */
function gradTaps4(count: i32, pw: i32, x: usize, image: usize, rs: usize, pb: usize, kpadBytes: usize, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const s1 = <usize>load<i32>(rs, 4) - <usize>load<i32>(rs);
  const s2 = <usize>load<i32>(rs, 8) - <usize>load<i32>(rs);
  const s3 = <usize>load<i32>(rs, 12) - <usize>load<i32>(rs);
  for (let i = 0; i < count; i++) {
    let p = x + <usize>i * image + <usize>load<i32>(rs);
    let q = pb + <usize>(i * pw) * kpadBytes;
    const end = p + (<usize>pw << 2);
    while (p < end) {
      const b0 = v128.load(q);
      const b1 = v128.load(q, 16);
      let a = v128.load32_splat(p);
      c00 = fma(c00, a, b0); c01 = fma(c01, a, b1);
      a = v128.load32_splat(p + s1);
      c10 = fma(c10, a, b0); c11 = fma(c11, a, b1);
      a = v128.load32_splat(p + s2);
      c20 = fma(c20, a, b0); c21 = fma(c21, a, b1);
      a = v128.load32_splat(p + s3);
      c30 = fma(c30, a, b0); c31 = fma(c31, a, b1);
      p += 4;
      q += kpadBytes;
    }
  }
  v128.store(tile, c00); v128.store(tile, c01, 16); v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80); v128.store(tile, c30, 96); v128.store(tile, c31, 112);
}

/**
 * Weight gradient (and with `db` the bias gradient) over images [lo, hi), added into the chunk's
 * partial sums as assembly/conv2d.ts's conv2dGradWeight: dWᵀ[tap, k] = Σ_b Σ_j x_b[shift_tap + j] ·
 * dYᵀ_b[j, k], six taps × eight channels a tile, over groups of images whose transposed dY stays
 * in L2. The only copy is dY's transpose, which every tap's row reuses.
 */
export function conv2dGradWeightDirect(params: usize, lo: i32, hi: i32, scratch: usize, tid: i32, out: usize, db: usize): void {
  const g = params;
  const x = Conv2dGradWeightParams.x(params);
  const dy = Conv2dGradWeightParams.dy(params);
  const M = G.k(g);
  const pw = widePositions(g);
  const kpad = (M + NR - 1) & ~(NR - 1);
  const shifts = scratch + PACK_A;
  const K = tapShifts(g, shifts);
  // Four offsets a tile: past the last tap they repeat it (computed, never stored).
  const rs = scratch + ROW;
  const dyT = scratch + PACK_B;
  const tile = scratch + TILE;
  const image = <usize>(G.c(g) * G.h(g) * G.w(g)) * 4;
  const group = max(1, min(hi - lo, GROUP_BYTES / (pw * kpad * 4)));
  for (let g0 = lo; g0 < hi; g0 += group) {
    const count = min(group, hi - g0);
    transposeDy(g, dy, g0, count, kpad, dyT, db);
    const xg = x + <usize>g0 * image;
    for (let t = 0; t < K; t += 4) {
      for (let r = 0; r < 4; r++) store<i32>(rs + (<usize>r << 2), load<i32>(shifts + (<usize>min(t + r, K - 1) << 2)));
      const taps = min(4, K - t);
      for (let k = 0; k < M; k += NR) {
        gradTaps4(count, pw, xg, image, rs, dyT + (<usize>k << 2), (<usize>kpad) << 2, tile);
        const cols = min(NR, M - k);
        for (let r = 0; r < taps; r++)
          for (let q = 0; q < cols; q++) {
            const at = out + (<usize>((k + q) * K + t + r)) * 4;
            store<f32>(at, load<f32>(at) + load<f32>(tile + (<usize>(r * NR + q)) * 4));
          }
      }
    }
  }
}
