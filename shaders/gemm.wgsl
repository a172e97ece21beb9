// The tiled GEMM template: C (M×N) = A (M×K) · B (K×N), every operand reached through hooks, so
// that one kernel body serves every matrix-shaped op (matmul with either operand transposed,
// convolution forward and both gradients as implicit GEMMs: no im2col buffer is ever written).
// Appended after an instance file (shaders/matmul.wgsl, shaders/conv2d.wgsl) that defines:
//   mm_dims() -> vec3u             M, N, K
//   mm_kChunk() -> u32             the K range of one split (workgroup z); K without split-K
//   mm_splits() -> u32             how many splits share workgroup z (the rest folds columns)
//   mm_readA(row, k) -> f32        0 outside the matrix
//   mm_aVec4() -> bool             A[row][k .. k+3] is one aligned vec4 in memory for k % 4 == 0
//                                  (row-major A with K % 4 == 0): staging then loads A four-wide
//   mm_readA4(row, k) -> vec4f     A[row][k .. k+3], 0 outside (called only when mm_aVec4())
//   mm_readB4(k, col) -> vec4f     B[k][col .. col+3], 0 outside
//   mm_aKFast() / mm_bKFast()      whether consecutive k are neighbouring addresses in memory:
//                                  neighbouring threads then stage neighbouring k (coalesced)
//   mm_write4(split, row, col, v)  C[row][col .. col+3]: bounds, bias, activation, layout
// The entry point `gemm` stages tiles in workgroup memory. A CPU adapter such as lavapipe, which
// runs a workgroup on one thread (barriers cost more than the loads they save) and pays for every
// per-element hook, gets the register tile instead, served by kernels of their own without hooks
// (shaders/matmul_regs.wgsl, shaders/conv2d_regs.wgsl).
// The host prepends the tile shape (src/kernels/gemm-tiles.ts) as constants:
//   WG_X × WG_Y threads; each owns TM rows (strided by WG_Y) × TN4 groups of 4 columns
//   (strided by WG_X · 4), so a workgroup computes a BM × BN block of C; A and B are staged
//   BK deep in workgroup memory, B as vec4, and every value staged is used TM or 4 · TN4 times.

const BM: u32 = WG_Y * TM;
const BN4: u32 = WG_X * TN4;
const BN: u32 = BN4 * 4u;
const THREADS: u32 = WG_X * WG_Y;

var<workgroup> tileA: array<f32, BK * BM>;
var<workgroup> tileB: array<vec4f, BK * BN4>;

@compute @workgroup_size(WG_X, WG_Y)
fn gemm(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) flat: u32) {
  let dims = mm_dims();
  let split = wid.z % mm_splits();
  // Column blocks past 65,535 fold into z, above the splits.
  let colBase = (wid.x + nwg.x * (wid.z / mm_splits())) * BN;
  let rowBase = wid.y * BM;
  let kStart = split * mm_kChunk();
  let kEnd = min(kStart + mm_kChunk(), dims.z);
  var acc: array<vec4f, TM * TN4>;
  for (var k0 = kStart; k0 < kEnd; k0 += BK) {
    if (mm_aVec4()) {
      // BK is a multiple of 4 and so is k0 (a split's K range starts on a multiple of 4): each thread
      // stages four neighbouring k of one row from one aligned load, a row's loads side by side.
      for (var e = flat; e < BK * BM / 4u; e += THREADS) {
        let r = e / (BK / 4u);
        let kk = (e % (BK / 4u)) * 4u;
        var v = vec4f(0.0);
        if (k0 + kk + 3u < kEnd) {
          v = mm_readA4(rowBase + r, k0 + kk);
        } else {
          for (var t = 0u; t < 4u; t++) {
            if (k0 + kk + t < kEnd) { v[t] = mm_readA(rowBase + r, k0 + kk + t); }
          }
        }
        for (var t = 0u; t < 4u; t++) { tileA[(kk + t) * BM + r] = v[t]; }
      }
    } else {
      for (var e = flat; e < BK * BM; e += THREADS) {
        var r = e % BM;
        var kk = e / BM;
        if (mm_aKFast()) {
          r = e / BK;
          kk = e % BK;
        }
        var v = 0.0;
        if (k0 + kk < kEnd) { v = mm_readA(rowBase + r, k0 + kk); }
        tileA[kk * BM + r] = v;
      }
    }
    for (var e = flat; e < BK * BN4; e += THREADS) {
      var c4 = e % BN4;
      var kk = e / BN4;
      if (mm_bKFast()) {
        c4 = e / BK;
        kk = e % BK;
      }
      var v = vec4f(0.0);
      if (k0 + kk < kEnd) { v = mm_readB4(k0 + kk, colBase + c4 * 4u); }
      tileB[kk * BN4 + c4] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      var b: array<vec4f, TN4>;
      for (var j = 0u; j < TN4; j++) { b[j] = tileB[kk * BN4 + lid.x + j * WG_X]; }
      for (var i = 0u; i < TM; i++) {
        let a = tileA[kk * BM + lid.y + i * WG_Y];
        for (var j = 0u; j < TN4; j++) { acc[i * TN4 + j] += a * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i++) {
    for (var j = 0u; j < TN4; j++) {
      mm_write4(split, rowBase + lid.y + i * WG_Y, colBase + (lid.x + j * WG_X) * 4u, acc[i * TN4 + j]);
    }
  }
}
