// Inverted dropout with the counter-based mask of src/kernels/random.ts: element i is kept when
// hash32(hash32(seed) + i) / 2³² ≥ rate, compared exactly as integers.

override WG: u32 = 256u;

// Uniform struct and bindings: src/kernels/dropout.ts.

@compute @workgroup_size(WG)
fn dropout(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i >= mask.n) { return; }
  let kept = hash32(mask.stream + mask.base + i) >= mask.threshold;
  y[i] = select(0.0, x[i] * mask.keep, kept);
}
