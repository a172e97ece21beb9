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

// update_packed7 / update_packed3: up to seven (three on an adapter with 8 storage bindings a
// stage) parameters in one dispatch, each with its gradient g_j and parameter p_j; the states of
// all of them live in one buffer, `state`, parameter j's first state at packStep.o_j and its second
// one slot (its size rounded up to 64 floats) later. Only the states KIND keeps are touched: sgd's
// `state` is a dummy.
// (parameter, state a, state b) after one step, as sgd / momentum / adam above.
fn updated(gv: f32, p: f32, a: f32, b: f32) -> vec3f {
  switch (KIND) {
    case 0u: { return vec3f(p - packStep.lr * (gv + packStep.weightDecay * p), a, b); }
    case 1u: {
      let g = gv + packStep.weightDecay * p;
      let v = packStep.momentum * a - packStep.lr * g;
      return vec3f(p + select(v, packStep.momentum * v - packStep.lr * g, NESTEROV), v, b);
    }
    default: {
      let g = select(gv + packStep.weightDecay * p, gv, DECOUPLED);
      let m = packStep.momentum * a + (1.0 - packStep.momentum) * g;
      let v = packStep.beta2 * b + (1.0 - packStep.beta2) * g * g;
      let update = (m / packStep.c1) / (sqrt(v / packStep.c2) + packStep.eps);
      return vec3f(p - packStep.lr * (update + select(0.0, packStep.weightDecay * p, DECOUPLED)), m, v);
    }
  }
}

fn slotStride(n: u32) -> u32 {
  return (n + 63u) / 64u * 64u;
}

// Parameter value p with gradient g, element `at` of its first state: the new p, states stored.
fn stepPacked(g: f32, p: f32, at: u32, n: u32) -> f32 {
  var a = 0.0;
  var b = 0.0;
  if (KIND >= 1u) { a = state[at]; }
  if (KIND == 2u) { b = state[at + slotStride(n)]; }
  let r = updated(g, p, a, b);
  if (KIND >= 1u) { state[at] = r.y; }
  if (KIND == 2u) { state[at + slotStride(n)] = r.z; }
  return r.x;
}

@compute @workgroup_size(WG)
fn update_packed7(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  var i = index(wid, nwg, lid);
  if (i < packStep.n0) { p0[i] = stepPacked(g0[i], p0[i], packStep.o0 + i, packStep.n0); return; }
  i -= packStep.n0;
  if (i < packStep.n1) { p1[i] = stepPacked(g1[i], p1[i], packStep.o1 + i, packStep.n1); return; }
  i -= packStep.n1;
  if (i < packStep.n2) { p2[i] = stepPacked(g2[i], p2[i], packStep.o2 + i, packStep.n2); return; }
  i -= packStep.n2;
  if (i < packStep.n3) { p3[i] = stepPacked(g3[i], p3[i], packStep.o3 + i, packStep.n3); return; }
  i -= packStep.n3;
  if (i < packStep.n4) { p4[i] = stepPacked(g4[i], p4[i], packStep.o4 + i, packStep.n4); return; }
  i -= packStep.n4;
  if (i < packStep.n5) { p5[i] = stepPacked(g5[i], p5[i], packStep.o5 + i, packStep.n5); return; }
  i -= packStep.n5;
  if (i < packStep.n6) { p6[i] = stepPacked(g6[i], p6[i], packStep.o6 + i, packStep.n6); }
}

@compute @workgroup_size(WG)
fn update_packed3(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  var i = index(wid, nwg, lid);
  if (i < packStep.n0) { p0[i] = stepPacked(g0[i], p0[i], packStep.o0 + i, packStep.n0); return; }
  i -= packStep.n0;
  if (i < packStep.n1) { p1[i] = stepPacked(g1[i], p1[i], packStep.o1 + i, packStep.n1); return; }
  i -= packStep.n1;
  if (i < packStep.n2) { p2[i] = stepPacked(g2[i], p2[i], packStep.o2 + i, packStep.n2); }
}
