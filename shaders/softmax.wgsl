// Softmax over rows and the fused log-softmax + cross-entropy, one thread per row: rows are
// classes (tens), so a row fits one thread's loop. Labels are class indices stored as floats.

override WG: u32 = 64u;

// Uniform structs and bindings: src/kernels/softmax.ts.

fn rowMax(base: u32) -> f32 {
  var m = x[base];
  for (var j = 1u; j < rows.cols; j++) { m = max(m, x[base + j]); }
  return m;
}

fn rowSumExp(base: u32, m: f32) -> f32 {
  var s = 0.0;
  for (var j = 0u; j < rows.cols; j++) { s += exp(x[base + j] - m); }
  return s;
}

// The label of row r as a column index, kept inside the row whatever the float says.
fn label(r: u32) -> u32 {
  return min(u32(max(labels[r], 0.0)), rows.cols - 1u);
}

fn row(wid: vec3u, nwg: vec3u, lid: u32) -> u32 {
  return flatGroup(wid, nwg) * WG + lid;
}

@compute @workgroup_size(WG)
fn softmax(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= rows.rows) { return; }
  let base = r * rows.cols;
  let m = rowMax(base);
  let s = rowSumExp(base, m);
  for (var j = 0u; j < rows.cols; j++) { probs[base + j] = exp(x[base + j] - m) / s; }
}

// dx = y ⊙ (dy − Σ dy·y).
@compute @workgroup_size(WG)
fn softmax_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= rows.rows) { return; }
  let base = r * rows.cols;
  var dot = 0.0;
  for (var j = 0u; j < rows.cols; j++) { dot += dy[base + j] * y[base + j]; }
  for (var j = 0u; j < rows.cols; j++) { dx[base + j] = y[base + j] * (dy[base + j] - dot); }
}

// Loss per row = log Σ exp(x) − x[label].
@compute @workgroup_size(WG)
fn cross_entropy(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= rows.rows) { return; }
  loss[r] = rowLoss(r);
}

// One row's loss: log Σ exp(x) − x[label], shifted by the row's maximum.
fn rowLoss(r: u32) -> f32 {
  let base = r * rows.cols;
  let m = rowMax(base);
  return log(rowSumExp(base, m)) + m - x[base + label(r)];
}

// One row's gradient: (softmax(x) − onehot(label)) · scale.
fn writeRowGrad(r: u32, scale: f32) {
  let base = r * rows.cols;
  let m = rowMax(base);
  let s = rowSumExp(base, m);
  let want = label(r);
  for (var j = 0u; j < rows.cols; j++) {
    let p = exp(x[base + j] - m) / s;
    dx[base + j] = (p - select(0.0, 1.0, j == want)) * scale;
  }
}

// dx = (softmax(x) − onehot(label)) · dloss[row].
@compute @workgroup_size(WG)
fn cross_entropy_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= rows.rows) { return; }
  writeRowGrad(r, dloss[r]);
}

// The mean loss over all rows, by one workgroup: each thread sums a stride of rows, then the
// workgroup adds its threads' sums pairwise.
var<workgroup> partial: array<f32, 64>;

@compute @workgroup_size(64)
fn cross_entropy_mean(@builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var r = lid; r < rows.rows; r += 64u) { acc += rowLoss(r); }
  partial[lid] = acc;
  for (var half = 32u; half > 0u; half >>= 1u) {
    workgroupBarrier();
    if (lid < half) { partial[lid] += partial[lid + half]; }
  }
  if (lid == 0u) { loss[0] = partial[0] / f32(rows.rows); }
}

// dx = (softmax(x) − onehot(label)) · dloss[0] / rows.
@compute @workgroup_size(WG)
fn cross_entropy_mean_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= rows.rows) { return; }
  writeRowGrad(r, dloss[0] / f32(rows.rows));
}
