// The matmul of a CPU adapter (lavapipe), chosen with the register tile (src/kernels/gemm-tiles.ts)
// as shaders/conv2d_regs.wgsl is for convolution: no workgroup memory, no barrier, and no hook
// per element. lavapipe runs a workgroup's invocations as the SIMD lanes of one CPU thread, so
// what costs is per-element work the lanes cannot share: the template's hooks re-derive indices
// and bounds for every load, and its four-column vec4 per thread makes neighbouring lanes read
// addresses 16 bytes apart (a gather). Here neighbouring lanes own neighbouring columns (one
// contiguous vector load of B per step), and the operand pointers are clamped into the matrices
// once and then stepped, so the inner loop has no bounds check.
//
// C (m×n) = act(op(A) · op(B) + bias), A m×k or k×m (TRANS_A), B k×n or n×k (TRANS_B); with
// ROW_SUMS the row sums of op(A) too (a dense layer's bias gradient), into `msums`.

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override ROW_SUMS: bool = false;
// B is k×n with n % 4 == 0: each thread owns four neighbouring columns, one aligned vec4 of `mb4`.
override VEC_B: bool = false;

// The uniforms `pm` (flags bit 0: bias, bits 2+: the activation) and the bindings are declared in
// src/kernels/matmul.ts; without a bias the host binds a small dummy to mbias (never read).

// Where row i of op(A) and column j of op(B) start, clamped into the matrices: threads past the
// edge compute on real data and store nothing.
fn rowOfA(i: u32) -> u32 {
  return select(min(i, pm.m - 1u) * pm.k, min(i, pm.m - 1u), TRANS_A);
}

fn colOfB(j: u32) -> u32 {
  return select(min(j, pm.n - 1u), min(j, pm.n - 1u) * pm.k, TRANS_B);
}

fn store(i: u32, j: u32, v: f32) {
  if (i >= pm.m || j >= pm.n) { return; }
  var x = v;
  if ((pm.flags & 1u) != 0u) { x += mbias[j]; }
  mc[i * pm.n + j] = activate(x, pm.flags >> 2u);
}

// Workgroup 16×4 threads → a 64-column × 16-row block of C; thread (x, y) owns columns
// x, x+16, x+32, x+48 and rows 4y … 4y+3 of it.
@compute @workgroup_size(16, 4)
fn matmul_regs(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  // Column blocks past 65,535 fold into z.
  if (VEC_B) {
    vec4Columns(wid, nwg, lid);
    return;
  }
  let col0 = (wid.x + nwg.x * wid.z) * 64u + lid.x;
  let row0 = wid.y * 16u + lid.y * 4u;
  let aStep = select(1u, pm.m, TRANS_A);
  let bStep = select(pm.n, 1u, TRANS_B);
  var a0 = vec4u(rowOfA(row0), rowOfA(row0 + 1u), rowOfA(row0 + 2u), rowOfA(row0 + 3u));
  var b0 = vec4u(colOfB(col0), colOfB(col0 + 16u), colOfB(col0 + 32u), colOfB(col0 + 48u));
  var acc: array<vec4f, 4>;
  var sums = vec4f(0.0);
  for (var p = 0u; p < pm.k; p++) {
    let b = vec4f(mb[b0.x], mb[b0.y], mb[b0.z], mb[b0.w]);
    let a = vec4f(ma[a0.x], ma[a0.y], ma[a0.z], ma[a0.w]);
    acc[0] += a.x * b;
    acc[1] += a.y * b;
    acc[2] += a.z * b;
    acc[3] += a.w * b;
    if (ROW_SUMS) { sums += a; }
    a0 += aStep;
    b0 += bStep;
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { store(row0 + i, col0 + 16u * j, acc[i][j]); }
  }
  if (ROW_SUMS) { writeRowSums(row0, col0, sums); }
}

// The first column block's first column of threads writes the row sums of A.
fn writeRowSums(row0: u32, col0: u32, sums: vec4f) {
  if (col0 != 0u) { return; }
  for (var i = 0u; i < 4u; i++) {
    if (row0 + i < pm.m) { msums[row0 + i] = sums[i]; }
  }
}

// The VEC_B variant: thread (x, y) owns columns 4x … 4x+3 and rows 4y … 4y+3 of the block.
fn vec4Columns(wid: vec3u, nwg: vec3u, lid: vec3u) {
  let col0 = (wid.x + nwg.x * wid.z) * 64u + lid.x * 4u;
  let row0 = wid.y * 16u + lid.y * 4u;
  let aStep = select(1u, pm.m, TRANS_A);
  let n4 = pm.n / 4u;
  var a0 = vec4u(rowOfA(row0), rowOfA(row0 + 1u), rowOfA(row0 + 2u), rowOfA(row0 + 3u));
  var b0 = min(col0, pm.n - 4u) / 4u;
  var acc: array<vec4f, 4>;
  var sums = vec4f(0.0);
  for (var p = 0u; p < pm.k; p++) {
    let b = mb4[b0];
    let a = vec4f(ma[a0.x], ma[a0.y], ma[a0.z], ma[a0.w]);
    acc[0] += a.x * b;
    acc[1] += a.y * b;
    acc[2] += a.z * b;
    acc[3] += a.w * b;
    if (ROW_SUMS) { sums += a; }
    a0 += aStep;
    b0 += n4;
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { store(row0 + i, col0 + j, acc[i][j]); }
  }
  if (ROW_SUMS) { writeRowSums(row0, col0, sums); }
}
