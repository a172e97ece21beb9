// Metrics accumulated on the device. One workgroup: the rows of a batch are few.

const WG: u32 = 256u;

struct RowsParams {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> pr: RowsParams;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> acc: array<f32>;

var<workgroup> counts: array<u32, WG>;

// acc[0] += rows whose first largest logit is at the label.
@compute @workgroup_size(WG)
fn count_correct(@builtin(local_invocation_index) lid: u32) {
  var correct = 0u;
  for (var r = lid; r < pr.rows; r += WG) {
    let base = r * pr.cols;
    var best = 0u;
    for (var j = 1u; j < pr.cols; j++) {
      if (logits[base + j] > logits[base + best]) { best = j; }
    }
    if (f32(best) == labels[r]) { correct++; }
  }
  counts[lid] = correct;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { counts[lid] += counts[lid + half]; }
  }
  if (lid == 0u) { acc[0] += f32(counts[0]); }
}
