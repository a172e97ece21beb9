// Sums over axes (sumTo) and their adjoint (broadcast). The host merges adjacent axes, so a
// typical reduction ([n·h·w, c] → [c], [rows, cols] → [cols]) walks one reduced and one kept axis.

override WG: u32 = 256u;

// Uniform structs and bindings: src/kernels/reduce.ts.

// Where output element o's reduction starts in the input.
fn keptBase(o: u32) -> u32 {
  var base = 0u;
  for (var d = 0u; d < sum.nKept; d++) {
    base += ((o / at8(sum.keptOut, d)) % at8(sum.keptShape, d)) * at8(sum.keptIn, d);
  }
  return base;
}

// One thread per output: short reductions.
@compute @workgroup_size(WG)
fn sum_thread(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flatGroup(wid, nwg) * WG + lid;
  if (o >= sum.outputs) { return; }
  let base = keptBase(o);
  var acc = 0.0;
  for (var r = 0u; r < sum.count; r++) {
    acc += x[base + offsetOf(r, sum.nRed, sum.redShape, sum.redIn)];
  }
  y[o] = acc * sum.scale;
}

var<workgroup> partial: array<f32, WG>;

// One workgroup per output: long reductions, strided over the threads, then a tree.
@compute @workgroup_size(WG)
fn sum_group(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flatGroup(wid, nwg);
  // Past the last output only when the dispatch was folded; the whole workgroup leaves.
  if (o >= sum.outputs) { return; }
  let base = keptBase(o);
  var acc = 0.0;
  for (var r = lid; r < sum.count; r += WG) {
    acc += x[base + offsetOf(r, sum.nRed, sum.redShape, sum.redIn)];
  }
  partial[lid] = acc;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { partial[lid] += partial[lid + half]; }
  }
  if (lid == 0u) { y[o] = partial[0] * sum.scale; }
}

@compute @workgroup_size(WG)
fn broadcast(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < spread.n) { y[i] = spread.scale * x[offsetOf(i, spread.rank, spread.shape, spread.strides)]; }
}
