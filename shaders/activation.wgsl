// The gradient of an activation fused into the pass that produced its output y:
// dx = dy · act'(x) with act'(x) written in y (`activationDerivative`, shaders/common.wgsl).
// Uniform struct and bindings: src/kernels/activation.ts.

override ACT: u32 = 1u;

@compute @workgroup_size(256)
fn activation_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * 256u + lid;
  if (i < count.n) { dx[i] = dy[i] * activationDerivative(y[i], ACT); }
}
