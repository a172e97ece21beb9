// Matmul as an instance of the GEMM template (shaders/gemm.wgsl, appended after this file):
// C (m×n) = act(op(A) · op(B) + bias). A is m×k, or k×m read transposed (TRANS_A); B is k×n, or
// n×k read transposed (TRANS_B: the PyTorch Linear weight layout). Row sums (a flag) add a column of ones
// to B, so column n of the product is the row sums of op(A) — the bias gradient of a dense layer
// comes out of its weight-gradient GEMM instead of a separate reduction — written to `msums`.

// The operand layouts specialise the pipeline; the epilogue (bias, activation, row sums) runs
// once per output and reads its flags from the uniforms, so it compiles nothing new.
override TRANS_A: bool = false;
override TRANS_B: bool = false;
// B is k×n with n % 4 == 0: four columns are one aligned vec4 load from `mb4`.
override VEC_B: bool = false;
// A is m×k (not transposed) with k % 4 == 0: four k of a row are one aligned vec4 load from `ma4`.
override VEC_A: bool = false;

// The uniforms `pm` and the bindings are declared in src/kernels/matmul.ts; pm.flags is bit 0:
// bias, bit 1: row sums, bits 2+: the activation (`activate`'s code).

fn hasBias() -> bool {
  return (pm.flags & 1u) != 0u;
}

fn rowSums() -> bool {
  return (pm.flags & 2u) != 0u;
}

// Without a bias (without VEC_B, VEC_A) the host binds a small dummy to mbias (mb4, ma4): it is never read.

fn mm_dims() -> vec3u {
  return vec3u(pm.m, pm.n + select(0u, 1u, rowSums()), pm.k);
}

fn mm_kChunk() -> u32 {
  return pm.k;
}

fn mm_splits() -> u32 {
  return 1u;
}

fn mm_aKFast() -> bool {
  return !TRANS_A;
}

fn mm_bKFast() -> bool {
  return TRANS_B;
}

fn mm_readA(i: u32, p: u32) -> f32 {
  if (i >= pm.m || p >= pm.k) { return 0.0; }
  if (TRANS_A) { return ma[p * pm.m + i]; }
  return ma[i * pm.k + p];
}

fn mm_aVec4() -> bool {
  return VEC_A;
}

fn mm_readA4(i: u32, p: u32) -> vec4f {
  if (i >= pm.m) { return vec4f(0.0); }
  return ma4[(i * pm.k + p) >> 2u];
}

fn readB(p: u32, j: u32) -> f32 {
  if (rowSums() && j == pm.n) { return 1.0; }
  if (j >= pm.n) { return 0.0; }
  if (TRANS_B) { return mb[j * pm.k + p]; }
  return mb[p * pm.n + j];
}

fn mm_readB4(p: u32, j: u32) -> vec4f {
  if (p >= pm.k) { return vec4f(0.0); }
  if (VEC_B && j + 3u < pm.n) { return mb4[(p * pm.n + j) >> 2u]; }
  return vec4f(readB(p, j), readB(p, j + 1u), readB(p, j + 2u), readB(p, j + 3u));
}

fn mm_write4(split: u32, i: u32, j: u32, v: vec4f) {
  if (i >= pm.m) { return; }
  for (var t = 0u; t < 4u; t++) {
    let col = j + t;
    if (col < pm.n) {
      var x = v[t];
      if (hasBias()) { x += mbias[col]; }
      mc[i * pm.n + col] = activate(x, pm.flags >> 2u);
    } else if (rowSums() && col == pm.n) {
      msums[i] = v[t];
    }
  }
}
