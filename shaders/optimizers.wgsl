// Optimizer updates in place: inputs [grad], targets [param] / [param, velocity] /
// [param, moment1, moment2]. Hyper-parameters are uniforms, so a learning-rate schedule compiles nothing new.

override WG: u32 = 256u;
override NESTEROV: bool = false;
override DECOUPLED: bool = false;

// Uniform structs and bindings: src/kernels/optimizers.ts.

fn index(wid: vec3u, nwg: vec3u, lid: u32) -> u32 {
  return flatGroup(wid, nwg) * WG + lid;
}

@compute @workgroup_size(WG)
fn sgd(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = index(wid, nwg, lid);
  if (i < sgdStep.n) { param[i] -= sgdStep.lr * (grad[i] + sgdStep.weightDecay * param[i]); }
}

@compute @workgroup_size(WG)
fn momentum(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = index(wid, nwg, lid);
  if (i >= momentumStep.n) { return; }
  let g = grad[i] + momentumStep.weightDecay * param[i];
  let v = momentumStep.momentum * velocity[i] - momentumStep.lr * g;
  velocity[i] = v;
  param[i] += select(v, momentumStep.momentum * v - momentumStep.lr * g, NESTEROV);
}

@compute @workgroup_size(WG)
fn adam(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = index(wid, nwg, lid);
  if (i >= adamStep.n) { return; }
  let p = param[i];
  let g = select(grad[i] + adamStep.weightDecay * p, grad[i], DECOUPLED);
  let m = adamStep.beta1 * moment1[i] + (1.0 - adamStep.beta1) * g;
  let v = adamStep.beta2 * moment2[i] + (1.0 - adamStep.beta2) * g * g;
  moment1[i] = m;
  moment2[i] = v;
  let update = (m / adamStep.c1) / (sqrt(v / adamStep.c2) + adamStep.eps);
  param[i] = p - adamStep.lr * (update + select(0.0, adamStep.weightDecay * p, DECOUPLED));
}
