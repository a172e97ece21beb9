// Softmax over rows and the fused log-softmax + cross-entropy, one thread per row: rows are
// classes (tens), so a row fits one thread's loop. Labels are class indices stored as floats.

override WG: u32 = 64u;

struct RowsParams {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> pr: RowsParams;
@group(0) @binding(1) var<storage, read> rin1: array<f32>;
@group(0) @binding(2) var<storage, read> rin2: array<f32>;
@group(0) @binding(3) var<storage, read> rin3: array<f32>;
@group(0) @binding(2) var<storage, read_write> rout2: array<f32>;
@group(0) @binding(3) var<storage, read_write> rout3: array<f32>;
@group(0) @binding(4) var<storage, read_write> rout4: array<f32>;

fn rowMax(base: u32) -> f32 {
  var m = rin1[base];
  for (var j = 1u; j < pr.cols; j++) { m = max(m, rin1[base + j]); }
  return m;
}

fn rowSumExp(base: u32, m: f32) -> f32 {
  var s = 0.0;
  for (var j = 0u; j < pr.cols; j++) { s += exp(rin1[base + j] - m); }
  return s;
}

// The label of row r as a column index, kept inside the row whatever the float says.
fn label(r: u32) -> u32 {
  return min(u32(max(rin2[r], 0.0)), pr.cols - 1u);
}

fn row(wid: vec3u, nwg: vec3u, lid: u32) -> u32 {
  return flatGroup(wid, nwg) * WG + lid;
}

// Input x; output y.
@compute @workgroup_size(WG)
fn softmax(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= pr.rows) { return; }
  let base = r * pr.cols;
  let m = rowMax(base);
  let s = rowSumExp(base, m);
  for (var j = 0u; j < pr.cols; j++) { rout2[base + j] = exp(rin1[base + j] - m) / s; }
}

// Inputs y, dy; output dx = y ⊙ (dy − Σ dy·y).
@compute @workgroup_size(WG)
fn softmax_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= pr.rows) { return; }
  let base = r * pr.cols;
  var dot = 0.0;
  for (var j = 0u; j < pr.cols; j++) { dot += rin2[base + j] * rin1[base + j]; }
  for (var j = 0u; j < pr.cols; j++) { rout3[base + j] = rin1[base + j] * (rin2[base + j] - dot); }
}

// Inputs logits, labels; output loss per row = log Σ exp(x) − x[label].
@compute @workgroup_size(WG)
fn cross_entropy(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= pr.rows) { return; }
  let base = r * pr.cols;
  let m = rowMax(base);
  rout3[r] = log(rowSumExp(base, m)) + m - rin1[base + label(r)];
}

// Inputs logits, labels, dloss; output dx = (softmax(x) − onehot(label)) · dloss[row].
@compute @workgroup_size(WG)
fn cross_entropy_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = row(wid, nwg, lid);
  if (r >= pr.rows) { return; }
  let base = r * pr.cols;
  let m = rowMax(base);
  let s = rowSumExp(base, m);
  let want = label(r);
  for (var j = 0u; j < pr.cols; j++) {
    let p = exp(rin1[base + j] - m) / s;
    rout4[base + j] = (p - select(0.0, 1.0, j == want)) * rin3[r];
  }
}
