// Max and average pooling over square windows, 'valid' padding, one thread per output element
// (forward) or per input element (backward: it gathers from the windows that cover it, so no two
// threads write one address and no atomics are needed).

override WG: u32 = 256u;

struct PoolParams {
  planes: u32,
  h: u32,
  w: u32,
  size: u32,
  stride: u32,
  oh: u32,
  ow: u32,
  // −∞, from the host: WGSL has no constant for it.
  lowest: f32,
}

@group(0) @binding(0) var<uniform> pp: PoolParams;
@group(0) @binding(1) var<storage, read> pin0: array<f32>;
@group(0) @binding(2) var<storage, read_write> pout2: array<f32>;
@group(0) @binding(2) var<storage, read> pin1: array<f32>;
@group(0) @binding(3) var<storage, read_write> pout3: array<f32>;

// Index within the plane of the first maximum of window (oy, ox), as src/kernels/pool.ts finds it.
fn argmaxInWindow(base: u32, oy: u32, ox: u32) -> u32 {
  var best = pp.lowest;
  var at = oy * pp.stride * pp.w + ox * pp.stride;
  for (var ky = 0u; ky < pp.size; ky++) {
    for (var kx = 0u; kx < pp.size; kx++) {
      let i = (oy * pp.stride + ky) * pp.w + ox * pp.stride + kx;
      let v = pin0[base + i];
      if (v > best) {
        best = v;
        at = i;
      }
    }
  }
  return at;
}

@compute @workgroup_size(WG)
fn max_pool(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pp.planes * pp.oh * pp.ow) { return; }
  let q = e / (pp.oh * pp.ow);
  let r = e % (pp.oh * pp.ow);
  let base = q * pp.h * pp.w;
  pout2[e] = pin0[base + argmaxInWindow(base, r / pp.ow, r % pp.ow)];
}

// The output windows that cover input row (or column) i: [first, last], possibly empty.
fn coveringWindows(i: u32, outSize: u32) -> vec2i {
  let first = (i32(i) - i32(pp.size) + i32(pp.stride)) / i32(pp.stride);
  return vec2i(max(first, 0), min(i32(i / pp.stride), i32(outSize) - 1));
}

// Inputs x, dy: dx[e] = Σ dy over the windows whose first maximum is e.
@compute @workgroup_size(WG)
fn max_pool_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pp.planes * pp.h * pp.w) { return; }
  let q = e / (pp.h * pp.w);
  let i = e % (pp.h * pp.w);
  let base = q * pp.h * pp.w;
  let ys = coveringWindows(i / pp.w, pp.oh);
  let xs = coveringWindows(i % pp.w, pp.ow);
  var acc = 0.0;
  for (var oy = ys.x; oy <= ys.y; oy++) {
    for (var ox = xs.x; ox <= xs.y; ox++) {
      if (argmaxInWindow(base, u32(oy), u32(ox)) == i) { acc += pin1[(q * pp.oh + u32(oy)) * pp.ow + u32(ox)]; }
    }
  }
  pout3[e] = acc;
}

@compute @workgroup_size(WG)
fn avg_pool(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pp.planes * pp.oh * pp.ow) { return; }
  let q = e / (pp.oh * pp.ow);
  let r = e % (pp.oh * pp.ow);
  let y0 = (r / pp.ow) * pp.stride;
  let x0 = (r % pp.ow) * pp.stride;
  var acc = 0.0;
  for (var ky = 0u; ky < pp.size; ky++) {
    for (var kx = 0u; kx < pp.size; kx++) { acc += pin0[(q * pp.h + y0 + ky) * pp.w + x0 + kx]; }
  }
  pout2[e] = acc / f32(pp.size * pp.size);
}

// Input dy: dx[e] = Σ dy / size² over the windows that cover e.
@compute @workgroup_size(WG)
fn avg_pool_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pp.planes * pp.h * pp.w) { return; }
  let q = e / (pp.h * pp.w);
  let i = e % (pp.h * pp.w);
  let ys = coveringWindows(i / pp.w, pp.oh);
  let xs = coveringWindows(i % pp.w, pp.ow);
  var acc = 0.0;
  for (var oy = ys.x; oy <= ys.y; oy++) {
    for (var ox = xs.x; ox <= xs.y; ox++) { acc += pin0[(q * pp.oh + u32(oy)) * pp.ow + u32(ox)]; }
  }
  pout2[e] = acc / f32(pp.size * pp.size);
}
