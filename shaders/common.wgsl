// Prepended to every family file (src/backends/webgpu/pipelines.ts), before the declarations a
// family's TS file generates (src/kernels/spec.ts: structs, op codes, bindings, hash32). Binding 0
// of every entry point is its uniform block.

// The workgroup index of a dispatch that was folded into x and y (65,535 groups per dimension).
fn flatGroup(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// Element i of a shape or stride list packed as array<vec4u, 2> (rank ≤ 8).
fn at8(a: array<vec4u, 2>, i: u32) -> u32 {
  return a[i >> 2u][i & 3u];
}

// Offset through `strides` of linear index `index` over `shape` (src/kernels/shape.ts offsetOf).
fn offsetOf(index: u32, rank: u32, shape: array<vec4u, 2>, strides: array<vec4u, 2>) -> u32 {
  var rest = index;
  var offset = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let size = at8(shape, u32(d));
    let i = rest % size;
    rest = rest / size;
    offset += i * at8(strides, u32(d));
  }
  return offset;
}

// erf by Abramowitz & Stegun 7.1.26, exactly as src/kernels/elementwise.ts computes it.
fn erf(x: f32) -> f32 {
  let s = select(1.0, -1.0, x < 0.0);
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return s * (1.0 - poly * exp(-a * a));
}

// An activation fused into the pass that produces its input: 0 none, then the order of
// `activations` in src/kernels/elementwise.ts (relu, tanh, softsign, gelu, sigmoid).
fn activate(x: f32, act: u32) -> f32 {
  switch (act) {
    case 1u: { return max(x, 0.0); }
    case 2u: { return tanh(clamp(x, -15.0, 15.0)); }
    case 3u: { return x / (1.0 + abs(x)); }
    case 4u: { return 0.5 * x * (1.0 + erf(x * 0.7071067811865476)); }
    case 5u: { return 1.0 / (1.0 + exp(-x)); }
    default: { return x; }
  }
}

// Its derivative written in its output y (src/kernels/activation.ts derivativeFromOutput); GELU
// has none and never fuses.
fn activationDerivative(y: f32, act: u32) -> f32 {
  switch (act) {
    case 1u: { return select(0.0, 1.0, y > 0.0); }
    case 2u: { return 1.0 - y * y; }
    case 3u: { let d = 1.0 - abs(y); return d * d; }
    case 5u: { return y * (1.0 - y); }
    default: { return 1.0; }
  }
}
