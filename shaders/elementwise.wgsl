// Elementwise maps: broadcasting binary arithmetic, unary ops and their gradients, affine and
// axpy. OP follows the order of binaryOps / unaryOps in src/kernels/elementwise.ts.

override WG: u32 = 256u;
override OP: u32 = 0u;
// Both operands have the output's shape: index directly, no stride walk.
override FLAT: bool = false;

struct BinaryParams {
  shape: array<vec4u, 2>,
  aStrides: array<vec4u, 2>,
  bStrides: array<vec4u, 2>,
  n: u32,
  rank: u32,
}

@group(0) @binding(0) var<uniform> pb: BinaryParams;
@group(0) @binding(1) var<storage, read> ba: array<f32>;
@group(0) @binding(2) var<storage, read> bb: array<f32>;
@group(0) @binding(3) var<storage, read_write> bout: array<f32>;

@compute @workgroup_size(WG)
fn binary(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i >= pb.n) { return; }
  var a: f32;
  var b: f32;
  if (FLAT) {
    a = ba[i];
    b = bb[i];
  } else {
    a = ba[offsetOf(i, pb.rank, pb.shape, pb.aStrides)];
    b = bb[offsetOf(i, pb.rank, pb.shape, pb.bStrides)];
  }
  switch (OP) {
    case 0u: { bout[i] = a + b; }
    case 1u: { bout[i] = a - b; }
    case 2u: { bout[i] = a * b; }
    default: { bout[i] = a / b; }
  }
}

fn unaryOp(x: f32) -> f32 {
  switch (OP) {
    case 0u: { return max(x, 0.0); }
    // tanh(±15) is ±1 in f32; clamping keeps drivers that compute tanh from exp away from inf/inf.
    case 1u: { return tanh(clamp(x, -15.0, 15.0)); }
    case 2u: { return x / (1.0 + abs(x)); }
    case 3u: { return 0.5 * x * (1.0 + erf(x * 0.70710678118654752)); }
    case 4u: { return 1.0 / (1.0 + exp(-x)); }
    case 5u: { return exp(x); }
    case 6u: { return log(x); }
    case 7u: { return -x; }
    case 8u: { return x * x; }
    default: { return sqrt(x); }
  }
}

fn unaryDerivative(x: f32) -> f32 {
  switch (OP) {
    case 0u: { return select(0.0, 1.0, x > 0.0); }
    case 1u: { let t = tanh(clamp(x, -15.0, 15.0)); return 1.0 - t * t; }
    case 2u: { let d = 1.0 + abs(x); return 1.0 / (d * d); }
    case 3u: { return 0.5 * (1.0 + erf(x * 0.70710678118654752)) + x * exp(-0.5 * x * x) * 0.39894228040143268; }
    case 4u: { let s = 1.0 / (1.0 + exp(-x)); return s * (1.0 - s); }
    case 5u: { return exp(x); }
    case 6u: { return 1.0 / x; }
    case 7u: { return -1.0; }
    case 8u: { return 2.0 * x; }
    default: { return 0.5 / sqrt(x); }
  }
}

struct MapParams {
  n: u32,
  alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> pm: MapParams;
@group(0) @binding(1) var<storage, read> mx: array<f32>;
@group(0) @binding(2) var<storage, read_write> my: array<f32>;
@group(0) @binding(2) var<storage, read> mdy: array<f32>;
@group(0) @binding(3) var<storage, read_write> mdx: array<f32>;

@compute @workgroup_size(WG)
fn unary(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < pm.n) { my[i] = unaryOp(mx[i]); }
}

@compute @workgroup_size(WG)
fn unary_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < pm.n) { mdx[i] = mdy[i] * unaryDerivative(mx[i]); }
}

// y = x · alpha + beta
@compute @workgroup_size(WG)
fn affine(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < pm.n) { my[i] = mx[i] * pm.alpha + pm.beta; }
}

// y += alpha · x, in place
@compute @workgroup_size(WG)
fn axpy(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < pm.n) { my[i] += pm.alpha * mx[i]; }
}
