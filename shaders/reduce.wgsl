// Sums over axes (sumTo) and their adjoint (broadcast). The host merges adjacent axes, so a
// typical reduction ([n·h·w, c] → [c], [rows, cols] → [cols]) walks one reduced and one kept axis.

override WG: u32 = 256u;

struct SumParams {
  keptShape: array<vec4u, 2>,
  keptIn: array<vec4u, 2>,
  keptOut: array<vec4u, 2>,
  redShape: array<vec4u, 2>,
  redIn: array<vec4u, 2>,
  nKept: u32,
  nRed: u32,
  outputs: u32,
  count: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> ps: SumParams;
@group(0) @binding(1) var<storage, read> sx: array<f32>;
@group(0) @binding(2) var<storage, read_write> sy: array<f32>;

// Where output element o's reduction starts in the input.
fn keptBase(o: u32) -> u32 {
  var base = 0u;
  for (var d = 0u; d < ps.nKept; d++) {
    base += ((o / at8(ps.keptOut, d)) % at8(ps.keptShape, d)) * at8(ps.keptIn, d);
  }
  return base;
}

// One thread per output: short reductions.
@compute @workgroup_size(WG)
fn sum_thread(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flatGroup(wid, nwg) * WG + lid;
  if (o >= ps.outputs) { return; }
  let base = keptBase(o);
  var acc = 0.0;
  for (var r = 0u; r < ps.count; r++) {
    acc += sx[base + offsetOf(r, ps.nRed, ps.redShape, ps.redIn)];
  }
  sy[o] = acc * ps.scale;
}

var<workgroup> partial: array<f32, WG>;

// One workgroup per output: long reductions, strided over the threads, then a tree.
@compute @workgroup_size(WG)
fn sum_group(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flatGroup(wid, nwg);
  // Past the last output only when the dispatch was folded; the whole workgroup leaves.
  if (o >= ps.outputs) { return; }
  let base = keptBase(o);
  var acc = 0.0;
  for (var r = lid; r < ps.count; r += WG) {
    acc += sx[base + offsetOf(r, ps.nRed, ps.redShape, ps.redIn)];
  }
  partial[lid] = acc;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { partial[lid] += partial[lid + half]; }
  }
  if (lid == 0u) { sy[o] = partial[0] * ps.scale; }
}

struct BroadcastParams {
  shape: array<vec4u, 2>,
  strides: array<vec4u, 2>,
  n: u32,
  rank: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> pc: BroadcastParams;

@compute @workgroup_size(WG)
fn broadcast(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < pc.n) { sy[i] = pc.scale * sx[offsetOf(i, pc.rank, pc.shape, pc.strides)]; }
}
