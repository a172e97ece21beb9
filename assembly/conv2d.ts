/**
 * Convolution as implicit GEMM: the im2col matrix is never stored; the B-panel packer gathers
 * it from the NCHW input block by block. Forward: Y_b[k × P] = W[k × CK] · col_b[CK × P];
 * weight gradient: dW[k × CK] = Σ_b dY_b[k × P] · col_bᵀ; input gradient: dcol = Wᵀ · dY_b into
 * a column buffer, then col2im.
 *
 * The wide layout (stride 1, no padding; `wide` = its padded width, else 0): positions
 * j = oy·w + ox with ox running over the whole input row, so tap (ci, ky, kx) reads input plane
 * ci from ky·w + kx on, contiguously. Forward and weight gradient run there on the direct
 * kernels of assembly/conv2d-direct.ts, which pack no input; the input gradient's col2im adds
 * each column row back as one run.
 */
import { addTo } from './elementwise';
import { blockOf, copy, INIT_LOAD, INIT_ROWBIAS, INIT_ZERO, interleave, KC, macro, MC, MR, NC, NR, pack, PACK_A, PACK_B, panelRows, ROW, TILE, gemm } from './gemm';
import { Conv2dGeometryParams as G, Conv2dGradInputParams, Conv2dGradWeightParams, Conv2dParams } from './generated/params';
import { addRowSums, conv2dDirect, conv2dGradWeightDirect, widePositions } from './conv2d-direct';

// @ts-ignore: decorator
@inline function zero(dst: usize, count: i32): void {
  let i = 0;
  const z = f32x4.splat(0);
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/**
 * Row (ci, ky, kx) of image b's im2col matrix over the pixels [j0, j0+count), into out:
 * whole output rows at a time, so stride 1 is a copy with zero edges.
 */
function im2colRow(plane: usize, g: usize, ky: i32, kx: i32, j0: i32, count: i32, out: usize): void {
  let oy = j0 / G.ow(g);
  let ox = j0 - oy * G.ow(g);
  let left = count;
  while (left > 0) {
    const seg = min(G.ow(g) - ox, left);
    const iy = oy * G.stride(g) + ky - G.padTop(g);
    if (iy < 0 || iy >= G.h(g)) zero(out, seg);
    else {
      const src = plane + (<usize>(iy * G.w(g))) * 4;
      if (G.stride(g) == 1) {
        const ix0 = ox + kx - G.padLeft(g);
        const lead = min(max(-ix0, 0), seg);
        const valid = min(max(G.w(g) - ix0, 0), seg);
        zero(out, lead);
        if (valid > lead) copy(out + (<usize>lead << 2), src + (<usize>(ix0 + lead)) * 4, valid - lead);
        if (seg > max(valid, lead)) zero(out + (<usize>max(valid, lead) << 2), seg - max(valid, lead));
      } else {
        for (let t = 0; t < seg; t++) {
          const ix = (ox + t) * G.stride(g) + kx - G.padLeft(g);
          store<f32>(out + (<usize>t << 2), ix >= 0 && ix < G.w(g) ? load<f32>(src + (<usize>ix << 2)) : 0);
        }
      }
    }
    out += (<usize>seg) << 2;
    left -= seg;
    ox = 0;
    oy++;
  }
}

/** B panels of col_b: rows p ∈ [p0, p0+kc) (ci, ky, kx), columns pixels [j0, j0+nc). */
function packIm2col(xb: usize, g: usize, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize, row: usize): void {
  const taps = G.kh(g) * G.kw(g);
  const panels = (nc + NR - 1) / NR;
  zero(row + (<usize>nc << 2), panels * NR - nc);
  for (let pp = 0; pp < kc; pp++) {
    const p = p0 + pp;
    const ci = p / taps;
    const r = p - ci * taps;
    const ky = r / G.kw(g);
    im2colRow(xb + (<usize>(ci * G.h(g) * G.w(g))) * 4, g, ky, r - ky * G.kw(g), j0, nc, row);
    let d = dst + (<usize>(pp * NR)) * 4;
    const step = (<usize>(kc * NR)) * 4;
    for (let q = 0; q < panels; q++) {
      const s = row + (<usize>(q * NR)) * 4;
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      d += step;
    }
  }
}

/**
 * Row (ci, ky, kx) of the im2col matrices of images lo, lo+1, … laid end to end, over the
 * positions [t0, t0+count), t = (b − lo)·P + pixel: a weight gradient's reduction runs across
 * images, so its blocks are as deep as KC whatever the image size.
 */
function im2colSpan(x: usize, g: usize, lo: i32, ci: i32, ky: i32, kx: i32, t0: i32, count: i32, out: usize): void {
  const P = G.oh(g) * G.ow(g);
  const plane = G.h(g) * G.w(g);
  let b = t0 / P;
  let p = t0 - b * P;
  while (count > 0) {
    const seg = min(P - p, count);
    im2colRow(x + (<usize>(((lo + b) * G.c(g) + ci) * plane)) * 4, g, ky, kx, p, seg, out);
    out += (<usize>seg) << 2;
    count -= seg;
    b++;
    p = 0;
  }
}

/** B panels of the images' col_bᵀ end to end: rows positions [t0, t0+kc), columns (ci, ky, kx) ∈ [j0, j0+nc). */
function packIm2colT(x: usize, g: usize, lo: i32, t0: i32, kc: i32, j0: i32, nc: i32, dst: usize, row: usize): void {
  const taps = G.kh(g) * G.kw(g);
  for (let q = 0; q < nc; q += NR) {
    const rows = min(NR, nc - q);
    for (let r = 0; r < rows; r++) {
      const j = j0 + q + r;
      const ci = j / taps;
      const t = j - ci * taps;
      const ky = t / G.kw(g);
      im2colSpan(x, g, lo, ci, ky, t - ky * G.kw(g), t0, kc, row + (<usize>(r * kc)) * 4);
    }
    interleave(row, kc, 1, rows, kc, NR, dst + (<usize>(q * kc)) * 4);
  }
}

/**
 * A panels of the images' dY_b end to end: rows channels [i0, i0+mc), depth positions [t0, t0+kc).
 * With `sums` (else 0) it also adds each row's values into sums[i0 + r]: the bias gradient,
 * taken while dY is in cache.
 */
function packDySpan(dy: usize, g: usize, lo: i32, i0: i32, mc: i32, t0: i32, kc: i32, dst: usize, sums: usize): void {
  const P = G.oh(g) * G.ow(g);
  let b = t0 / P;
  let p = t0 - b * P;
  let done = 0;
  while (done < kc) {
    const seg = min(P - p, kc - done);
    const src = dy + (<usize>(((lo + b) * G.k(g) + i0) * P + p)) * 4;
    let width = MR;
    for (let ir = 0; ir < mc; ir += width) {
      width = panelRows(mc - ir);
      interleave(src + (<usize>(ir * P)) * 4, P, 1, min(width, mc - ir), seg, width, dst + (<usize>(ir * kc + done * width)) * 4);
    }
    if (sums) addRowSums(src, P, mc, seg, sums + (<usize>i0 << 2));
    done += seg;
    b++;
    p = 0;
  }
}

/**
 * conv2d forward over work units [lo, hi): unit u is image u / per, output pixels
 * [(u % per)·block, +block) with per = ⌈oh·ow / block⌉ (one unit per image unless the batch is
 * smaller than the thread count); on the direct kernel unit u is image u.
 */
export function conv2d(params: usize, lo: i32, hi: i32, scratch: usize, tid: i32): void {
  if (Conv2dParams.direct(params)) {
    conv2dDirect(params, lo, hi, scratch, tid);
    return;
  }
  const g = params;
  const x = Conv2dParams.x(params);
  const wt = Conv2dParams.weights(params);
  const bias = Conv2dParams.bias(params);
  const y = Conv2dParams.y(params);
  const block = Conv2dParams.block(params);
  const M = G.k(g);
  const N = G.oh(g) * G.ow(g);
  const K = G.c(g) * G.kh(g) * G.kw(g);
  const per = (N + block - 1) / block;
  const kcMax = blockOf(K, KC);
  for (let unit = lo; unit < hi; unit++) {
    const b = unit / per;
    const j0 = (unit - b * per) * block;
    const j1 = min(N, j0 + block);
    const xb = x + (<usize>(b * G.c(g) * G.h(g) * G.w(g))) * 4;
    const yb = y + (<usize>(b * M * N)) * 4;
    for (let jc = j0; jc < j1; jc += NC) {
      const nc = min(NC, j1 - jc);
      let pc = 0;
      do {
        const kc = min(kcMax, K - pc);
        packIm2col(xb, g, pc, kc, jc, nc, scratch + PACK_B, scratch + ROW);
        for (let ic = 0; ic < M; ic += MC) {
          const mc = min(MC, M - ic);
          pack(wt, K, 1, ic, mc, pc, kc, MR, scratch + PACK_A);
          const init = pc > 0 ? INIT_LOAD : bias ? INIT_ROWBIAS : INIT_ZERO;
          macro(mc, nc, kc, scratch + PACK_A, scratch + PACK_B, yb + (<usize>(ic * N + jc)) * 4, N, init, bias + (<usize>ic) * 4, scratch + TILE);
        }
        pc += kc;
      } while (pc < K);
    }
  }
}

/**
 * Weight gradient (and with `db` the bias gradient) over images [lo, hi), added into the chunk's
 * partial sums, zeroed by the caller, who adds them up: chunk 0's are dw and db, chunk t's the
 * (t−1)th slot of `partials`.
 */
export function conv2dGradWeight(params: usize, lo: i32, hi: i32, scratch: usize, tid: i32): void {
  const g = params;
  const x = Conv2dGradWeightParams.x(params);
  const dy = Conv2dGradWeightParams.dy(params);
  const M = G.k(g);
  const N = G.c(g) * G.kh(g) * G.kw(g);
  // Chunk t > 0 keeps its partial sums, the weights' then (with a bias) the bias's, in slot t − 1.
  const slot = M * N + (Conv2dGradWeightParams.db(params) ? M : 0);
  const out: usize = tid == 0 ? Conv2dGradWeightParams.dw(params) : Conv2dGradWeightParams.partials(params) + (<usize>((tid - 1) * slot)) * 4;
  const db: usize = !Conv2dGradWeightParams.db(params) ? 0 : tid == 0 ? Conv2dGradWeightParams.db(params) : out + (<usize>(M * N)) * 4;
  if (Conv2dGradWeightParams.direct(params)) {
    conv2dGradWeightDirect(params, lo, hi, scratch, tid, out, db);
    return;
  }
  // The reduction runs over (image, pixel) of the whole chunk: deep blocks, and C loaded and
  // stored once a block rather than once an image.
  const T = (hi - lo) * G.oh(g) * G.ow(g);
  const kcMax = blockOf(T, KC);
  for (let pc = 0; pc < T; pc += kcMax) {
    const kc = min(kcMax, T - pc);
    for (let jc = 0; jc < N; jc += NC) {
      const nc = min(NC, N - jc);
      packIm2colT(x, g, lo, pc, kc, jc, nc, scratch + PACK_B, scratch + ROW);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        // dY is packed once per column block: the bias sums on the first.
        const sums = jc == 0 ? db : 0;
        packDySpan(dy, g, lo, ic, mc, pc, kc, scratch + PACK_A, sums);
        macro(mc, nc, kc, scratch + PACK_A, scratch + PACK_B, out + (<usize>(ic * N + jc)) * 4, N, INIT_LOAD, 0, scratch + TILE);
      }
    }
  }
}

/**
 * Input gradient of any stride over images [lo, hi): dcol = Wᵀ · dY_b into the thread's column
 * buffer (one per thread in `columns`), then col2im adds each column entry back to the input pixel
 * it came from.
 */
export function conv2dGradInput(params: usize, lo: i32, hi: i32, scratch: usize, tid: i32): void {
  const g = params;
  const dy = Conv2dGradInputParams.dy(params);
  const wt = Conv2dGradInputParams.weights(params);
  const dx = Conv2dGradInputParams.dx(params);
  const npad = Conv2dGradInputParams.wide(params);
  const CK = G.c(g) * G.kh(g) * G.kw(g);
  const P = G.oh(g) * G.ow(g);
  const cols = npad > 0 ? npad : P;
  const col: usize = Conv2dGradInputParams.columns(params) + (<usize>(tid * (CK + G.k(g)) * cols)) * 4;
  // Wide: dY_b spread over the wide positions first (the gaps stay zero), so that each column row
  // goes back onto its plane as one contiguous run.
  const dyw = col + (<usize>(CK * cols)) * 4;
  if (npad > 0) zero(dyw, G.k(g) * npad);
  for (let b = lo; b < hi; b++) {
    const dyb = dy + (<usize>(b * G.k(g) * P)) * 4;
    const dxb = dx + (<usize>(b * G.c(g) * G.h(g) * G.w(g))) * 4;
    zero(dxb, G.c(g) * G.h(g) * G.w(g));
    if (npad > 0) {
      for (let k = 0; k < G.k(g); k++)
        for (let oy = 0; oy < G.oh(g); oy++)
          copy(dyw + (<usize>(k * npad + oy * G.w(g))) * 4, dyb + (<usize>(k * P + oy * G.ow(g))) * 4, G.ow(g));
      gemm(CK, npad, G.k(g), wt, 1, CK, dyw, npad, 1, col, npad, 0, 0, CK, 0, npad, scratch);
      col2imWide(col, dxb, g, npad);
    } else {
      gemm(CK, P, G.k(g), wt, 1, CK, dyb, P, 1, col, P, 0, 0, CK, 0, P, scratch);
      col2im(col, dxb, g, P);
    }
  }
}

/** dx_b += col2im(col) in the wide layout: column row (ci, ky, kx) adds onto plane ci from ky·w + kx on. */
function col2imWide(col: usize, dxb: usize, g: usize, npad: i32): void {
  const taps = G.kh(g) * G.kw(g);
  const pw = widePositions(g);
  for (let i = 0; i < G.c(g) * taps; i++) {
    const ci = i / taps;
    const t = i - ci * taps;
    const ky = t / G.kw(g);
    const dst = dxb + (<usize>(ci * G.h(g) * G.w(g) + ky * G.w(g) + t - ky * G.kw(g))) * 4;
    addTo(dst, col + (<usize>(i * npad)) * 4, pw);
  }
}

/** dx_b += col2im(col): each column entry back onto the input pixel it was gathered from. */
function col2im(col: usize, dxb: usize, g: usize, P: i32): void {
  const taps = G.kh(g) * G.kw(g);
  const CK = G.c(g) * taps;
  const h = G.h(g), w = G.w(g), oh = G.oh(g), ow = G.ow(g), s = G.stride(g), pt = G.padTop(g), pl = G.padLeft(g);
  for (let i = 0; i < CK; i++) {
    const ci = i / taps;
    const t = i - ci * taps;
    const ky = t / G.kw(g);
    const kx = t - ky * G.kw(g);
    const plane = dxb + (<usize>(ci * h * w)) * 4;
    // Output columns whose input column ix = ox·s + kx − pl lies inside the image.
    const ix0 = kx - pl;
    const first = ix0 >= 0 ? 0 : (-ix0 + s - 1) / s;
    const last = min(ow, (w - 1 - ix0) / s + 1);
    for (let oy = 0; oy < oh; oy++) {
      const iy = oy * s + ky - pt;
      if (iy < 0 || iy >= h || first >= last) continue;
      const src = col + (<usize>(i * P + oy * ow)) * 4;
      const dst = plane + (<usize>(iy * w + ix0)) * 4;
      if (s == 1) addTo(dst + (<usize>first << 2), src + (<usize>first << 2), last - first);
      else {
        for (let ox = first; ox < last; ox++) {
          const d = dst + (<usize>(ox * s) << 2);
          store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ox << 2)));
        }
      }
    }
  }
}
