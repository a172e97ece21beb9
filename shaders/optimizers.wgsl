// Optimizer updates in place: inputs [grad], targets [param] / [param, velocity] /
// [param, moment1, moment2]. Hyper-parameters are uniforms, so a learning-rate schedule compiles nothing new.

override WG: u32 = 256u;
override NESTEROV: bool = false;
override DECOUPLED: bool = false;
// update_group: 0 sgd, 1 momentum, 2 adam
override KIND: u32 = 2u;

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

// update_group: four parameters in one dispatch, each with its gradient g_j, its parameter p_j and
// two state bindings s_ja, s_jb (the states a rule does not keep are 4-float dummies: only the
// states KIND keeps are read or written).
// (parameter, state a, state b) after one step, as sgd / momentum / adam above.
fn updated(gv: f32, p: f32, a: f32, b: f32) -> vec3f {
  switch (KIND) {
    case 0u: { return vec3f(p - groupStep.lr * (gv + groupStep.weightDecay * p), a, b); }
    case 1u: {
      let g = gv + groupStep.weightDecay * p;
      let v = groupStep.momentum * a - groupStep.lr * g;
      return vec3f(p + select(v, groupStep.momentum * v - groupStep.lr * g, NESTEROV), v, b);
    }
    default: {
      let g = select(gv + groupStep.weightDecay * p, gv, DECOUPLED);
      let m = groupStep.momentum * a + (1.0 - groupStep.momentum) * g;
      let v = groupStep.beta2 * b + (1.0 - groupStep.beta2) * g * g;
      let update = (m / groupStep.c1) / (sqrt(v / groupStep.c2) + groupStep.eps);
      return vec3f(p - groupStep.lr * (update + select(0.0, groupStep.weightDecay * p, DECOUPLED)), m, v);
    }
  }
}

@compute @workgroup_size(WG)
fn update_group(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  var i = index(wid, nwg, lid);
  if (i < groupStep.n0) {
    var a = 0.0;
    var b = 0.0;
    if (KIND >= 1u) { a = s0a[i]; }
    if (KIND == 2u) { b = s0b[i]; }
    let r = updated(g0[i], p0[i], a, b);
    p0[i] = r.x;
    if (KIND >= 1u) { s0a[i] = r.y; }
    if (KIND == 2u) { s0b[i] = r.z; }
    return;
  }
  i -= groupStep.n0;
  if (i < groupStep.n1) {
    var a = 0.0;
    var b = 0.0;
    if (KIND >= 1u) { a = s1a[i]; }
    if (KIND == 2u) { b = s1b[i]; }
    let r = updated(g1[i], p1[i], a, b);
    p1[i] = r.x;
    if (KIND >= 1u) { s1a[i] = r.y; }
    if (KIND == 2u) { s1b[i] = r.z; }
    return;
  }
  i -= groupStep.n1;
  if (i < groupStep.n2) {
    var a = 0.0;
    var b = 0.0;
    if (KIND >= 1u) { a = s2a[i]; }
    if (KIND == 2u) { b = s2b[i]; }
    let r = updated(g2[i], p2[i], a, b);
    p2[i] = r.x;
    if (KIND >= 1u) { s2a[i] = r.y; }
    if (KIND == 2u) { s2b[i] = r.z; }
    return;
  }
  i -= groupStep.n2;
  if (i < groupStep.n3) {
    var a = 0.0;
    var b = 0.0;
    if (KIND >= 1u) { a = s3a[i]; }
    if (KIND == 2u) { b = s3b[i]; }
    let r = updated(g3[i], p3[i], a, b);
    p3[i] = r.x;
    if (KIND >= 1u) { s3a[i] = r.y; }
    if (KIND == 2u) { s3b[i] = r.z; }
  }
}
