// Inverted dropout with the counter-based mask of src/kernels/random.ts: element i is kept when
// hash32(hash32(seed) + i) / 2³² ≥ rate, compared exactly as integers.

override WG: u32 = 256u;

struct DropoutParams {
  n: u32,
  // index of this chunk's first element: the mask depends on the global index
  base: u32,
  // hash32(seed)
  stream: u32,
  // ceil(rate · 2³²)
  threshold: u32,
  // 1 / (1 − rate)
  keep: f32,
}

@group(0) @binding(0) var<uniform> pd: DropoutParams;
@group(0) @binding(1) var<storage, read> dx: array<f32>;
@group(0) @binding(2) var<storage, read_write> dy: array<f32>;

@compute @workgroup_size(WG)
fn dropout(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i >= pd.n) { return; }
  let kept = hash32(pd.stream + pd.base + i) >= pd.threshold;
  dy[i] = select(0.0, dx[i] * pd.keep, kept);
}
