// Optimizer updates in place: inputs [grad], targets [param] / [param, velocity] /
// [param, m, v]. Hyper-parameters are uniforms, so a learning-rate schedule compiles nothing new.

override WG: u32 = 256u;
override NESTEROV: bool = false;
override DECOUPLED: bool = false;
// update_group: 0 sgd, 1 momentum, 2 adam
override KIND: u32 = 2u;

struct OptParams {
  n: u32,
  lr: f32,
  weightDecay: f32,
  // momentum: μ; adam: β₁, β₂, ε and the bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ
  momentum: f32,
  beta2: f32,
  eps: f32,
  c1: f32,
  c2: f32,
  // update_group: the four parameters' lengths (0 for an empty slot)
  lengths: vec4u,
}

@group(0) @binding(0) var<uniform> po: OptParams;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> state1: array<f32>;
@group(0) @binding(4) var<storage, read_write> state2: array<f32>;

fn index(wid: vec3u, nwg: vec3u, lid: u32) -> u32 {
  return flatGroup(wid, nwg) * WG + lid;
}

@compute @workgroup_size(WG)
fn sgd(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = index(wid, nwg, lid);
  if (i < po.n) { param[i] -= po.lr * (grad[i] + po.weightDecay * param[i]); }
}

@compute @workgroup_size(WG)
fn momentum(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = index(wid, nwg, lid);
  if (i >= po.n) { return; }
  let g = grad[i] + po.weightDecay * param[i];
  let v = po.momentum * state1[i] - po.lr * g;
  state1[i] = v;
  param[i] += select(v, po.momentum * v - po.lr * g, NESTEROV);
}

@compute @workgroup_size(WG)
fn adam(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = index(wid, nwg, lid);
  if (i >= po.n) { return; }
  let p = param[i];
  let g = select(grad[i] + po.weightDecay * p, grad[i], DECOUPLED);
  let m = po.momentum * state1[i] + (1.0 - po.momentum) * g;
  let v = po.beta2 * state2[i] + (1.0 - po.beta2) * g * g;
  state1[i] = m;
  state2[i] = v;
  let update = (m / po.c1) / (sqrt(v / po.c2) + po.eps);
  param[i] = p - po.lr * (update + select(0.0, po.weightDecay * p, DECOUPLED));
}

// update_group: four parameters in one dispatch. Their gradients are inputs 0–3; each has a
// parameter and two state bindings after them (states a rule does not use are dummies).
@group(0) @binding(1) var<storage, read> g0: array<f32>;
@group(0) @binding(2) var<storage, read> g1: array<f32>;
@group(0) @binding(3) var<storage, read> g2: array<f32>;
@group(0) @binding(4) var<storage, read> g3: array<f32>;
@group(0) @binding(5) var<storage, read_write> p0: array<f32>;
@group(0) @binding(6) var<storage, read_write> s0a: array<f32>;
@group(0) @binding(7) var<storage, read_write> s0b: array<f32>;
@group(0) @binding(8) var<storage, read_write> p1: array<f32>;
@group(0) @binding(9) var<storage, read_write> s1a: array<f32>;
@group(0) @binding(10) var<storage, read_write> s1b: array<f32>;
@group(0) @binding(11) var<storage, read_write> p2: array<f32>;
@group(0) @binding(12) var<storage, read_write> s2a: array<f32>;
@group(0) @binding(13) var<storage, read_write> s2b: array<f32>;
@group(0) @binding(14) var<storage, read_write> p3: array<f32>;
@group(0) @binding(15) var<storage, read_write> s3a: array<f32>;
@group(0) @binding(16) var<storage, read_write> s3b: array<f32>;

// (parameter, state a, state b) after one step of the rule, as sgd / momentum / adam above.
fn updated(gv: f32, p: f32, a: f32, b: f32) -> vec3f {
  switch (KIND) {
    case 0u: { return vec3f(p - po.lr * (gv + po.weightDecay * p), a, b); }
    case 1u: {
      let g = gv + po.weightDecay * p;
      let v = po.momentum * a - po.lr * g;
      return vec3f(p + select(v, po.momentum * v - po.lr * g, NESTEROV), v, b);
    }
    default: {
      let g = select(gv + po.weightDecay * p, gv, DECOUPLED);
      let m = po.momentum * a + (1.0 - po.momentum) * g;
      let v = po.beta2 * b + (1.0 - po.beta2) * g * g;
      let update = (m / po.c1) / (sqrt(v / po.c2) + po.eps);
      return vec3f(p - po.lr * (update + select(0.0, po.weightDecay * p, DECOUPLED)), m, v);
    }
  }
}

@compute @workgroup_size(WG)
fn update_group(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  var i = index(wid, nwg, lid);
  let n = po.lengths;
  if (i < n.x) {
    let r = updated(g0[i], p0[i], s0a[i], s0b[i]);
    p0[i] = r.x; s0a[i] = r.y; s0b[i] = r.z;
    return;
  }
  i -= n.x;
  if (i < n.y) {
    let r = updated(g1[i], p1[i], s1a[i], s1b[i]);
    p1[i] = r.x; s1a[i] = r.y; s1b[i] = r.z;
    return;
  }
  i -= n.y;
  if (i < n.z) {
    let r = updated(g2[i], p2[i], s2a[i], s2b[i]);
    p2[i] = r.x; s2a[i] = r.y; s2b[i] = r.z;
    return;
  }
  i -= n.z;
  if (i < n.w) {
    let r = updated(g3[i], p3[i], s3a[i], s3b[i]);
    p3[i] = r.x; s3a[i] = r.y; s3b[i] = r.z;
  }
}
