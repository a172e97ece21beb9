// Metrics accumulated on the device. One workgroup: the rows of a batch are few.

const WG: u32 = 256u;

// Uniform struct and bindings: src/kernels/metrics.ts.

var<workgroup> counts: array<u32, WG>;

// acc[0] += rows whose first largest logit is at the label.
@compute @workgroup_size(WG)
fn count_correct(@builtin(local_invocation_index) lid: u32) {
  var correct = 0u;
  for (var r = lid; r < rows.rows; r += WG) {
    let base = r * rows.cols;
    var best = 0u;
    for (var j = 1u; j < rows.cols; j++) {
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
