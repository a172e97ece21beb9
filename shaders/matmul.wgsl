// C (m×n) = op(A) · op(B) (+ bias per column). A is m×k, or k×m read transposed (TRANS_A); B is
// k×n, or n×k read transposed (TRANS_B). Each thread owns a 4×4 block of C. Two tilings:
//   matmul_regs  — no workgroup memory and no barriers: a workgroup runs on one CPU thread on
//                  lavapipe, where barriers cost more than the cache misses they save.
//   matmul_tiled — 64×64 tiles of C, 16-deep slabs of A and B staged in workgroup memory: the
//                  textbook GPU kernel; each element loaded from memory is used 16 times.
// Threads along x own columns, so neighbouring threads read neighbouring B and C addresses.

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override BIAS: bool = false;

struct MatmulParams {
  m: u32,
  n: u32,
  k: u32,
}

@group(0) @binding(0) var<uniform> pm: MatmulParams;
@group(0) @binding(1) var<storage, read> ma: array<f32>;
@group(0) @binding(2) var<storage, read> mb: array<f32>;
// Without BIAS the host binds A here again: it is never read.
@group(0) @binding(3) var<storage, read> mbias: array<f32>;
@group(0) @binding(4) var<storage, read_write> mc: array<f32>;

fn loadA(i: u32, p: u32) -> f32 {
  if (i >= pm.m || p >= pm.k) { return 0.0; }
  if (TRANS_A) { return ma[p * pm.m + i]; }
  return ma[i * pm.k + p];
}

fn loadB(p: u32, j: u32) -> f32 {
  if (p >= pm.k || j >= pm.n) { return 0.0; }
  if (TRANS_B) { return mb[j * pm.k + p]; }
  return mb[p * pm.n + j];
}

fn initial(j: u32) -> f32 {
  if (BIAS && j < pm.n) { return mbias[j]; }
  return 0.0;
}

fn store(i: u32, j: u32, v: f32) {
  if (i < pm.m && j < pm.n) { mc[i * pm.n + j] = v; }
}

// Where row i of op(A) and column j of op(B) start, and the step along k, clamped into the
// matrices: threads past the edge compute on real data and store nothing, so the inner loop
// needs no bounds checks.
fn rowOfA(i: u32) -> u32 {
  return select(min(i, pm.m - 1u) * pm.k, min(i, pm.m - 1u), TRANS_A);
}
fn colOfB(j: u32) -> u32 {
  return select(min(j, pm.n - 1u), min(j, pm.n - 1u) * pm.k, TRANS_B);
}

// Workgroup 16×4 threads → a 64-column × 16-row block of C; thread (x, y) owns columns
// x, x+16, x+32, x+48 and rows 4y … 4y+3 of it.
@compute @workgroup_size(16, 4)
fn matmul_regs(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let col0 = wid.x * 64u + lid.x;
  let row0 = wid.y * 16u + lid.y * 4u;
  let aStep = select(1u, pm.m, TRANS_A);
  let bStep = select(pm.n, 1u, TRANS_B);
  var a0 = vec4u(rowOfA(row0), rowOfA(row0 + 1u), rowOfA(row0 + 2u), rowOfA(row0 + 3u));
  var b0 = vec4u(colOfB(col0), colOfB(col0 + 16u), colOfB(col0 + 32u), colOfB(col0 + 48u));
  var acc: array<vec4f, 4>;
  let bias = vec4f(initial(col0), initial(col0 + 16u), initial(col0 + 32u), initial(col0 + 48u));
  for (var i = 0u; i < 4u; i++) { acc[i] = bias; }
  for (var p = 0u; p < pm.k; p++) {
    let b = vec4f(mb[b0.x], mb[b0.y], mb[b0.z], mb[b0.w]);
    acc[0] += ma[a0.x] * b;
    acc[1] += ma[a0.y] * b;
    acc[2] += ma[a0.z] * b;
    acc[3] += ma[a0.w] * b;
    a0 += aStep;
    b0 += bStep;
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { store(row0 + i, col0 + 16u * j, acc[i][j]); }
  }
}

const TILE: u32 = 64u;
const DEPTH: u32 = 16u;
var<workgroup> tileA: array<array<f32, TILE>, DEPTH>;
var<workgroup> tileB: array<array<f32, TILE>, DEPTH>;

// Workgroup 16×16 threads → a 64×64 block of C; thread (x, y) owns rows y+16i, columns x+16j.
@compute @workgroup_size(16, 16)
fn matmul_tiled(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) flat: u32) {
  let rowBase = wid.y * TILE;
  let colBase = wid.x * TILE;
  var acc: array<vec4f, 4>;
  let bias = vec4f(initial(colBase + lid.x), initial(colBase + lid.x + 16u), initial(colBase + lid.x + 32u), initial(colBase + lid.x + 48u));
  for (var i = 0u; i < 4u; i++) { acc[i] = bias; }
  for (var p0 = 0u; p0 < pm.k; p0 += DEPTH) {
    // 256 threads stage a 16×64 slab of A (as tileA[p][i]) and of B (tileB[p][j]), 4 values each.
    for (var e = flat; e < DEPTH * TILE; e += 256u) {
      let p = e / TILE;
      let t = e % TILE;
      tileA[p][t] = loadA(rowBase + t, p0 + p);
      tileB[p][t] = loadB(p0 + p, colBase + t);
    }
    workgroupBarrier();
    for (var p = 0u; p < DEPTH; p++) {
      let b = vec4f(tileB[p][lid.x], tileB[p][lid.x + 16u], tileB[p][lid.x + 32u], tileB[p][lid.x + 48u]);
      for (var i = 0u; i < 4u; i++) { acc[i] += tileA[p][lid.y + 16u * i] * b; }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { store(rowBase + lid.y + 16u * i, colBase + lid.x + 16u * j, acc[i][j]); }
  }
}
