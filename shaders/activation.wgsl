// The gradient of an activation fused into a GEMM epilogue, from its saved output y:
// dx = dy · act'(x) with act'(x) written in y. ACT as `activate` in shaders/common.wgsl.

override ACT: u32 = 1u;

struct ActivationParams {
  n: u32,
}

@group(0) @binding(0) var<uniform> pa: ActivationParams;
@group(0) @binding(1) var<storage, read> ay: array<f32>;
@group(0) @binding(2) var<storage, read> ady: array<f32>;
@group(0) @binding(3) var<storage, read_write> adx: array<f32>;

@compute @workgroup_size(256)
fn activation_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * 256u + lid;
  if (i < pa.n) { adx[i] = ady[i] * activationDerivative(ay[i], ACT); }
}
