// Elementwise maps: broadcasting binary arithmetic, unary ops and their gradients, affine and
// axpy. The op codes (BINARY_*, UNARY_*), uniform structs and bindings are declared in
// src/kernels/elementwise.ts and generated in front of this file.

override WG: u32 = 256u;
override OP: u32 = 0u;
// Both operands have the output's shape: index directly, no stride walk.
override FLAT: bool = false;

@compute @workgroup_size(WG)
fn binary(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i >= broadcasting.n) { return; }
  var va: f32;
  var vb: f32;
  if (FLAT) {
    va = a[i];
    vb = b[i];
  } else {
    va = a[offsetOf(i, broadcasting.rank, broadcasting.shape, broadcasting.aStrides)];
    vb = b[offsetOf(i, broadcasting.rank, broadcasting.shape, broadcasting.bStrides)];
  }
  switch (OP) {
    case BINARY_ADD: { y[i] = va + vb; }
    case BINARY_SUB: { y[i] = va - vb; }
    case BINARY_MUL: { y[i] = va * vb; }
    case BINARY_DIV: { y[i] = va / vb; }
    // Unreachable: the loader refuses this file unless every declared op has its case.
    default: {}
  }
}

// (op(x), op'(x)): one line per op. Each entry point reads one component; the compiler drops the other.
fn unaryOp(x: f32) -> vec2f {
  switch (OP) {
    case UNARY_RELU: { return vec2f(max(x, 0.0), select(0.0, 1.0, x > 0.0)); }
    // tanh(±15) is ±1 in f32; clamping keeps drivers that compute tanh from exp away from inf/inf.
    case UNARY_TANH: { let t = tanh(clamp(x, -15.0, 15.0)); return vec2f(t, 1.0 - t * t); }
    case UNARY_SOFTSIGN: { let d = 1.0 + abs(x); return vec2f(x / d, 1.0 / (d * d)); }
    case UNARY_GELU: { let c = 0.5 * (1.0 + erf(x * 0.70710678118654752)); return vec2f(x * c, c + x * exp(-0.5 * x * x) * 0.39894228040143268); }
    case UNARY_SIGMOID: { let s = 1.0 / (1.0 + exp(-x)); return vec2f(s, s * (1.0 - s)); }
    case UNARY_EXP: { let e = exp(x); return vec2f(e, e); }
    case UNARY_LOG: { return vec2f(log(x), 1.0 / x); }
    case UNARY_NEG: { return vec2f(-x, -1.0); }
    case UNARY_SQUARE: { return vec2f(x * x, 2.0 * x); }
    case UNARY_SQRT: { let r = sqrt(x); return vec2f(r, 0.5 / r); }
    default: { return vec2f(0.0); }
  }
}

@compute @workgroup_size(WG)
fn unary(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < count.n) { y[i] = unaryOp(x[i]).x; }
}

@compute @workgroup_size(WG)
fn unary_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < count.n) { dx[i] = dy[i] * unaryOp(x[i]).y; }
}

// y = x · scale + shift
@compute @workgroup_size(WG)
fn affine(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < scaleShift.n) { y[i] = x[i] * scaleShift.scale + scaleShift.shift; }
}

// y += alpha · x, in place
@compute @workgroup_size(WG)
fn axpy(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < accumulate.n) { y[i] += accumulate.alpha * x[i]; }
}
