// Batch normalisation over [n, c, s]. Statistics and the backward take one workgroup per channel
// (the reduction runs over n·s elements: strided over the threads, then a tree in workgroup
// memory); the forward and the running-average update are elementwise.

override WG: u32 = 256u;
// bn_forward / bn_backward_act: the activation that follows the normalisation (`activate` in common.wgsl).
override ACT: u32 = 0u;

// Uniform structs and bindings: src/kernels/batchnorm.ts.

var<workgroup> sums: array<vec2f, WG>;

// Element e of channel ch's n·s values, over c channels of s values.
fn at(ch: u32, e: u32, c: u32, s: u32) -> u32 {
  return ((e / s) * c + ch) * s + e % s;
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

// Mean and biased variance (two passes over x: the stable form the reference uses).
@compute @workgroup_size(WG)
fn bn_stats(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= bnShape.c) { return; }
  let count = bnShape.n * bnShape.s;
  var acc = 0.0;
  for (var e = lid; e < count; e += WG) { acc += x[at(ch, e, bnShape.c, bnShape.s)]; }
  let mu = workgroupSum(lid, vec2f(acc, 0.0)).x / f32(count);
  acc = 0.0;
  for (var e = lid; e < count; e += WG) {
    let d = x[at(ch, e, bnShape.c, bnShape.s)] - mu;
    acc += d * d;
  }
  let sq = workgroupSum(lid, vec2f(acc, 0.0)).x;
  if (lid == 0u) {
    batchMean[ch] = mu;
    batchVariance[ch] = sq / f32(count);
  }
}

// As bn_stats, and the running statistics follow the batch's in the same pass.
@compute @workgroup_size(WG)
fn bn_stats_running(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= bnRunning.c) { return; }
  let count = bnRunning.n * bnRunning.s;
  var acc = 0.0;
  for (var e = lid; e < count; e += WG) { acc += x[at(ch, e, bnRunning.c, bnRunning.s)]; }
  let mu = workgroupSum(lid, vec2f(acc, 0.0)).x / f32(count);
  acc = 0.0;
  for (var e = lid; e < count; e += WG) {
    let d = x[at(ch, e, bnRunning.c, bnRunning.s)] - mu;
    acc += d * d;
  }
  let v = workgroupSum(lid, vec2f(acc, 0.0)).x / f32(count);
  if (lid == 0u) {
    batchMean[ch] = mu;
    batchVariance[ch] = v;
    runningMean[ch] = bnRunning.momentum * runningMean[ch] + (1.0 - bnRunning.momentum) * mu;
    runningVariance[ch] = bnRunning.momentum * runningVariance[ch] + bnRunning.varianceRate * v;
  }
}

@compute @workgroup_size(WG)
fn bn_forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i >= bn.n * bn.c * bn.s) { return; }
  let ch = (i / bn.s) % bn.c;
  let inv = 1.0 / sqrt(variance[ch] + bn.eps);
  y[i] = activate(gamma[ch] * (x[i] - mean[ch]) * inv + beta[ch], ACT);
}

@compute @workgroup_size(WG)
fn bn_backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= bn.c) { return; }
  let count = bn.n * bn.s;
  let mu = mean[ch];
  let inv = 1.0 / sqrt(variance[ch] + bn.eps);
  var acc = vec2f(0.0);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e, bn.c, bn.s);
    let g = dy[k];
    acc += vec2f(g, g * (x[k] - mu) * inv);
  }
  let total = workgroupSum(lid, acc);
  let scale = gamma[ch] * inv / f32(count);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e, bn.c, bn.s);
    let xhat = (x[k] - mu) * inv;
    dx[k] = scale * (f32(count) * dy[k] - total.x - xhat * total.y);
  }
  if (lid == 0u) {
    dgamma[ch] = total.y;
    dbeta[ch] = total.x;
  }
}

// As bn_backward behind a fused activation: dy · act'(y), from its output `activated`, is the
// gradient the normalisation sees.
@compute @workgroup_size(WG)
fn bn_backward_act(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let ch = flatGroup(wid, nwg);
  if (ch >= bn.c) { return; }
  let count = bn.n * bn.s;
  let mu = mean[ch];
  let inv = 1.0 / sqrt(variance[ch] + bn.eps);
  var acc = vec2f(0.0);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e, bn.c, bn.s);
    let g = dy[k] * activationDerivative(activated[k], ACT);
    acc += vec2f(g, g * (x[k] - mu) * inv);
  }
  let total = workgroupSum(lid, acc);
  let scale = gamma[ch] * inv / f32(count);
  for (var e = lid; e < count; e += WG) {
    let k = at(ch, e, bn.c, bn.s);
    let xhat = (x[k] - mu) * inv;
    dx[k] = scale * (f32(count) * dy[k] * activationDerivative(activated[k], ACT) - total.x - xhat * total.y);
  }
  if (lid == 0u) {
    dgamma[ch] = total.y;
    dbeta[ch] = total.x;
  }
}

// running ← momentum · running + rate · batch, in place.
@compute @workgroup_size(WG)
fn ema(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = flatGroup(wid, nwg) * WG + lid;
  if (i < emaRate.n) { running[i] = emaRate.momentum * running[i] + emaRate.rate * batch[i]; }
}
