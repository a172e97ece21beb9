// Max and average pooling over square windows, 'valid' padding, one thread per output element
// (forward) or per input element (backward: it gathers from the windows that cover it, so no two
// threads write one address and no atomics are needed).

override WG: u32 = 256u;

// Uniform struct and bindings: src/kernels/pool.ts.

// Index within the plane of the first maximum of window (oy, ox), as src/kernels/pool.ts finds it.
fn argmaxInWindow(base: u32, oy: u32, ox: u32) -> u32 {
  var best = pool.lowest;
  var at = oy * pool.stride * pool.w + ox * pool.stride;
  for (var ky = 0u; ky < pool.size; ky++) {
    for (var kx = 0u; kx < pool.size; kx++) {
      let i = (oy * pool.stride + ky) * pool.w + ox * pool.stride + kx;
      let v = x[base + i];
      if (v > best) {
        best = v;
        at = i;
      }
    }
  }
  return at;
}

// The output windows that cover input row (or column) i: [first, last], possibly empty.
fn coveringWindows(i: u32, outSize: u32) -> vec2i {
  let first = (i32(i) - i32(pool.size) + i32(pool.stride)) / i32(pool.stride);
  return vec2i(max(first, 0), min(i32(i / pool.stride), i32(outSize) - 1));
}

@compute @workgroup_size(WG)
fn avg_pool(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pool.planes * pool.oh * pool.ow) { return; }
  let q = e / (pool.oh * pool.ow);
  let r = e % (pool.oh * pool.ow);
  let y0 = (r / pool.ow) * pool.stride;
  let x0 = (r % pool.ow) * pool.stride;
  var acc = 0.0;
  for (var ky = 0u; ky < pool.size; ky++) {
    for (var kx = 0u; kx < pool.size; kx++) { acc += x[(q * pool.h + y0 + ky) * pool.w + x0 + kx]; }
  }
  y[e] = acc / f32(pool.size * pool.size);
}

// dx[e] = Σ dy / size² over the windows that cover e.
@compute @workgroup_size(WG)
fn avg_pool_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pool.planes * pool.h * pool.w) { return; }
  let q = e / (pool.h * pool.w);
  let i = e % (pool.h * pool.w);
  let ys = coveringWindows(i / pool.w, pool.oh);
  let xs = coveringWindows(i % pool.w, pool.ow);
  var acc = 0.0;
  for (var oy = ys.x; oy <= ys.y; oy++) {
    for (var ox = xs.x; ox <= xs.y; ox++) { acc += dy[(q * pool.oh + u32(oy)) * pool.ow + u32(ox)]; }
  }
  dx[e] = acc / f32(pool.size * pool.size);
}

// Max pooling fused with a monotone activation (src/kernels/pool.ts maxPoolActKernel): act(max x)
// equals max act(x), so the activation runs once per window, on the pooled value. ACT 0 is no
// activation: plain max pooling and its gradient run these two entries too.
override ACT: u32 = 1u;

@compute @workgroup_size(WG)
fn max_pool_act(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pool.planes * pool.oh * pool.ow) { return; }
  let q = e / (pool.oh * pool.ow);
  let r = e % (pool.oh * pool.ow);
  let base = q * pool.h * pool.w;
  y[e] = activate(x[base + argmaxInWindow(base, r / pool.ow, r % pool.ow)], ACT);
}

// dx[e] = Σ dy · act′(pooled) over the windows whose first maximum is e, act′ written in the
// pooled output (activationDerivative, shaders/common.wgsl).
@compute @workgroup_size(WG)
fn max_pool_act_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = flatGroup(wid, nwg) * WG + lid;
  if (e >= pool.planes * pool.h * pool.w) { return; }
  let q = e / (pool.h * pool.w);
  let i = e % (pool.h * pool.w);
  let base = q * pool.h * pool.w;
  let ys = coveringWindows(i / pool.w, pool.oh);
  let xs = coveringWindows(i % pool.w, pool.ow);
  var acc = 0.0;
  for (var oy = ys.x; oy <= ys.y; oy++) {
    for (var ox = xs.x; ox <= xs.y; ox++) {
      if (argmaxInWindow(base, u32(oy), u32(ox)) == i) {
        let o = (q * pool.oh + u32(oy)) * pool.ow + u32(ox);
        acc += dy[o] * activationDerivative(pooled[o], ACT);
      }
    }
  }
  dx[e] = acc;
}
