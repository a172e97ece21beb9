// Optimizer updates in place: inputs [grad], targets [param] / [param, velocity] /
// [param, m, v]. Hyper-parameters are uniforms, so a learning-rate schedule compiles nothing new.

override WG: u32 = 256u;
override NESTEROV: bool = false;
override DECOUPLED: bool = false;

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
