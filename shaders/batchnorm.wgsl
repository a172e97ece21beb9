// Batch normalisation over [n, c, s]. Statistics and the backward take one workgroup per channel
// (the reduction runs over n·s elements: strided over the threads, then a tree in workgroup
// memory); the forward is elementwise. The running statistics follow the batch's in the statistics pass.

override WG: u32 = 256u;
// bn_forward / bn_backward_act: the activation that follows the normalisation (`activate`).
override ACT: u32 = 0u;

struct BnParams {
  n: u32,
  c: u32,
  s: u32,
  eps: f32,
  // bn_stats_running: momentum, and (1 − momentum) · n·s/(n·s − 1) for the unbiased variance
  momentum: f32,
  varRate: f32,
}

@group(0) @binding(0) var<uniform> pb: BnParams;
@group(0) @binding(1) var<storage, read> bin1: array<f32>;
@group(0) @binding(2) var<storage, read> bin2: array<f32>;
@group(0) @binding(3) var<storage, read> bin3: array<f32>;
@group(0) @binding(4) var<storage, read> bin4: array<f32>;
@group(0) @binding(5) var<storage, read> bin5: array<f32>;
@group(0) @binding(6) var<storage, read> bin6: array<f32>;
@group(0) @binding(2) var<storage, read_write> bout2: array<f32>;
@group(0) @binding(3) var<storage, read_write> bout3: array<f32>;
@group(0) @binding(4) var<storage, read_write> bout4: array<f32>;
@group(0) @binding(5) var<storage, read_write> bout5: array<f32>;
@group(0) @binding(6) var<storage, read_write> bout6: array<f32>;
@group(0) @binding(7) var<storage, read_write> bout7: array<f32>;
@group(0) @binding(8) var<storage, read_write> bout8: array<f32>;
@group(0) @binding(9) var<storage, read_write> bout9: array<f32>;

var<workgroup> sums: array<vec2f, WG>;

// Element e of channel ch's n·s values.
fn at(ch: u32, e: u32) -> u32 {
  return ((e / pb.s) * pb.c + ch) * pb.s + e % pb.s;
}

// Sums the workgroup's values; every thread gets the total.
fn workgroupSum(lid: u32, v: vec2f) -> vec2f {
  sums[lid] = v;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { sums[lid] += sums[lid + half]; }
  }
  workgroupBarrier();
  let total = sums[0];
  workgroupBarrier();
  return total;
}

// Channel ch's mean and biased variance (two passes over x: the stable form the reference uses).
fn channelStats(ch: u32, lid: u32) -> vec2f {
  let count = pb.n * pb.s;
  var acc = 0.0;
  for (var e = lid; e < count; e += WG) { acc += bin1[at(ch, e)]; }
  let mu = workgroupSum(lid, vec2f(acc, 0.0)).x / f32(count);
  acc = 0.0;
  for (var e = lid; e < count; e += WG) {
    let d = bin1[at(ch, e)] - mu;
    acc += d * d;
  }
  return vec2f(mu, workgroupSum(lid, vec2f(acc, 0.0)).x / f32(count));
}

// Input x; outputs mean, biased variance.
@compute @workgroup_size(WG)
fn bn_stats(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= pb.c) { return; }
  let st = channelStats(ch, lid);
  if (lid == 0u) {
    bout2[ch] = st.x;
    bout3[ch] = st.y;
  }
}

// As bn_stats, and the running mean and variance (targets 3 and 4) follow in the same pass.
@compute @workgroup_size(WG)
fn bn_stats_running(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= pb.c) { return; }
  let st = channelStats(ch, lid);
  if (lid == 0u) {
    bout2[ch] = st.x;
    bout3[ch] = st.y;
    bout4[ch] = pb.momentum * bout4[ch] + (1.0 - pb.momentum) * st.x;
    bout5[ch] = pb.momentum * bout5[ch] + pb.varRate * st.y;
  }
}

// Inputs x, mean, variance, gamma, beta; output y.
@compute @workgroup_size(WG)
fn bn_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i >= pb.n * pb.c * pb.s) { return; }
  let ch = (i / pb.s) % pb.c;
  let inv = 1.0 / sqrt(bin3[ch] + pb.eps);
  bout6[i] = activate(bin4[ch] * (bin1[i] - bin2[ch]) * inv + bin5[ch], ACT);
}

// Inputs x, dy, mean, variance, gamma; outputs dx, dgamma, dbeta.
@compute @workgroup_size(WG)
fn bn_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= pb.c) { return; }
  let count = pb.n * pb.s;
  let mu = bin3[ch];
  let inv = 1.0 / sqrt(bin4[ch] + pb.eps);
  var acc = vec2f(0.0);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e);
    let g = bin2[k];
    acc += vec2f(g, g * (bin1[k] - mu) * inv);
  }
  let total = workgroupSum(lid, acc);
  let scale = bin5[ch] * inv / f32(count);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e);
    let xhat = (bin1[k] - mu) * inv;
    bout6[k] = scale * (f32(count) * bin2[k] - total.x - xhat * total.y);
  }
  if (lid == 0u) {
    bout7[ch] = total.y;
    bout8[ch] = total.x;
  }
}

// As bn_backward behind a fused activation: inputs x, dy, mean, variance, gamma and the
// activation's output y; dy · act'(y) is the gradient the normalisation sees.
@compute @workgroup_size(WG)
fn bn_backward_act(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= pb.c) { return; }
  let count = pb.n * pb.s;
  let mu = bin3[ch];
  let inv = 1.0 / sqrt(bin4[ch] + pb.eps);
  var acc = vec2f(0.0);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e);
    let g = bin2[k] * activationDerivative(bin6[k], ACT);
    acc += vec2f(g, g * (bin1[k] - mu) * inv);
  }
  let total = workgroupSum(lid, acc);
  let scale = bin5[ch] * inv / f32(count);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e);
    let xhat = (bin1[k] - mu) * inv;
    bout7[k] = scale * (f32(count) * bin2[k] * activationDerivative(bin6[k], ACT) - total.x - xhat * total.y);
  }
  if (lid == 0u) {
    bout8[ch] = total.y;
    bout9[ch] = total.x;
  }
}
