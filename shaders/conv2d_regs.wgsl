// The conv2d kernels of a CPU adapter (lavapipe), chosen with the register tile (src/kernels/
// gemm-tiles.ts): no workgroup memory, no barrier, and coordinates decoded once per thread rather
// than per element as the GEMM template's hooks do (integer division does not vectorise on a CPU).
// A GPU runs the template instances in shaders/conv2d.wgsl.
//
// 2-D convolution, NCHW, weights [k, c, kh, kw], as implicit GEMMs with register blocking: each
// thread owns 4 × 4 outputs and walks the reduction axis (ci, ky, kx) or (o, ky, kx) or
// (b, oy, ox) directly, so no im2col matrix is ever written. Threads along x own neighbouring
// pixels: their loads of x and dy are neighbouring addresses (SIMD lanes on lavapipe, coalesced
// on a GPU), and their loads of the weights are the same address.

override BIAS: bool = false;
// the forward's fused activation (`activate` in shaders/common.wgsl)
override ACT: u32 = 0u;

// The uniforms `pc` and `ps` and the bindings are declared in src/kernels/conv2d.ts.
// conv_fwd's cbias is the bias, or x again (never read) without BIAS.

// x groups fold into z past 65,535.
fn pixelGroup(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.x + wid.z * nwg.x;
}

// y[b, o, oy, ox] = bias[o] + Σ x[b, ci, oy·s + ky − pt, ox·s + kx − pl] · w[o, ci, ky, kx].
// Workgroup 16×4: 64 output pixels × 16 filters.
@compute @workgroup_size(16, 4)
fn conv_fwd(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let plane = pc.oh * pc.ow;
  let pixels = pc.n * plane;
  let o0 = wid.y * 16u + lid.y * 4u;
  var xBase: array<u32, 4>;
  var iy0: array<i32, 4>;
  var ix0: array<i32, 4>;
  var yAt: array<u32, 4>;
  var live: array<bool, 4>;
  for (var i = 0u; i < 4u; i++) {
    let pix = pixelGroup(wid, nwg) * 64u + lid.x + 16u * i;
    live[i] = pix < pixels;
    let q = min(pix, pixels - 1u);
    let b = q / plane;
    let r = q % plane;
    let oy = r / pc.ow;
    let ox = r % pc.ow;
    xBase[i] = b * pc.c * pc.h * pc.w;
    iy0[i] = i32(oy * pc.stride) - i32(pc.padTop);
    ix0[i] = i32(ox * pc.stride) - i32(pc.padLeft);
    yAt[i] = b * pc.k * plane + r;
  }
  var bias = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (BIAS && o0 + j < pc.k) { bias[j] = cbias[o0 + j]; }
  }
  var acc: array<vec4f, 4>;
  for (var i = 0u; i < 4u; i++) { acc[i] = bias; }
  let taps = pc.kh * pc.kw;
  // Filters past k read filter k − 1 and are never stored: no bounds checks in the loop.
  var wAt = vec4u(min(o0, pc.k - 1u), min(o0 + 1u, pc.k - 1u), min(o0 + 2u, pc.k - 1u), min(o0 + 3u, pc.k - 1u)) * pc.c * taps;
  let inPlane = pc.h * pc.w;
  for (var ci = 0u; ci < pc.c; ci++) {
    for (var ky = 0u; ky < pc.kh; ky++) {
      for (var kx = 0u; kx < pc.kw; kx++) {
        let wv = vec4f(cin1[wAt.x], cin1[wAt.y], cin1[wAt.z], cin1[wAt.w]);
        wAt += 1u;
        for (var i = 0u; i < 4u; i++) {
          // Padding reads a clamped address and multiplies by zero: one branch-free load per tap.
          let iy = iy0[i] + i32(ky);
          let ix = ix0[i] + i32(kx);
          let inside = u32(iy) < pc.h && u32(ix) < pc.w;
          let at = xBase[i] + ci * inPlane + u32(clamp(iy, 0, i32(pc.h) - 1)) * pc.w + u32(clamp(ix, 0, i32(pc.w) - 1));
          acc[i] += select(0.0, cin0[at], inside) * wv;
        }
      }
    }
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      if (live[i] && o0 + j < pc.k) { cout[yAt[i] + (o0 + j) * plane] = activate(acc[i][j], ACT); }
    }
  }
}

// Stride-1 forward with KW ≤ 5 (the common case): each thread owns 4 neighbouring pixels of one
// output row × 4 filters, and loads the 3 + KW input values their windows share once per (ci, ky)
// instead of 4 · KW: on lavapipe every load is a gather, so loads are what cost.
override KW: u32 = 3u;

@compute @workgroup_size(16, 4)
fn conv_fwd_row(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let quadsPerRow = (pc.ow + 3u) / 4u;
  let quads = pc.n * pc.oh * quadsPerRow;
  let quad = min(pixelGroup(wid, nwg) * 16u + lid.x, quads - 1u);
  let live = pixelGroup(wid, nwg) * 16u + lid.x < quads;
  let b = quad / (pc.oh * quadsPerRow);
  let oy = (quad / quadsPerRow) % pc.oh;
  let ox0 = (quad % quadsPerRow) * 4u;
  let o0 = wid.y * 16u + lid.y * 4u;
  let taps = pc.kh * KW;
  var wAt = vec4u(min(o0, pc.k - 1u), min(o0 + 1u, pc.k - 1u), min(o0 + 2u, pc.k - 1u), min(o0 + 3u, pc.k - 1u)) * pc.c * taps;
  var bias = vec4f(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (BIAS && o0 + j < pc.k) { bias[j] = cbias[o0 + j]; }
  }
  var acc: array<vec4f, 4>;
  for (var i = 0u; i < 4u; i++) { acc[i] = bias; }
  let ix0 = i32(ox0) - i32(pc.padLeft);
  let inPlane = pc.h * pc.w;
  var xs: array<f32, 8>;
  for (var ci = 0u; ci < pc.c; ci++) {
    let plane = (b * pc.c + ci) * inPlane;
    for (var ky = 0u; ky < pc.kh; ky++) {
      let iy = i32(oy + ky) - i32(pc.padTop);
      let rowInside = u32(iy) < pc.h;
      let row = plane + u32(clamp(iy, 0, i32(pc.h) - 1)) * pc.w;
      for (var t = 0u; t < 3u + KW; t++) {
        let ix = ix0 + i32(t);
        xs[t] = select(0.0, cin0[row + u32(clamp(ix, 0, i32(pc.w) - 1))], rowInside && u32(ix) < pc.w);
      }
      for (var kx = 0u; kx < KW; kx++) {
        let wv = vec4f(cin1[wAt.x], cin1[wAt.y], cin1[wAt.z], cin1[wAt.w]);
        wAt += 1u;
        for (var i = 0u; i < 4u; i++) { acc[i] += xs[i + kx] * wv; }
      }
    }
  }
  if (!live) { return; }
  let plane = pc.oh * pc.ow;
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      if (ox0 + i < pc.ow && o0 + j < pc.k) { cout[((b * pc.k + o0 + j) * pc.oh + oy) * pc.ow + ox0 + i] = activate(acc[i][j], ACT); }
    }
  }
}

// dx[b, ci, iy, ix] = Σ over (o, ky, kx) with oy·s = iy + pt − ky (and ox likewise) in range of
// dy[b, o, oy, ox] · w[o, ci, ky, kx]. Workgroup 16×4: 64 input pixels × 16 channels.
@compute @workgroup_size(16, 4)
fn conv_dx(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let plane = pc.h * pc.w;
  let oplane = pc.oh * pc.ow;
  let pixels = pc.n * plane;
  let c0 = wid.y * 16u + lid.y * 4u;
  var dyBase: array<u32, 4>;
  var ty0: array<i32, 4>;
  var tx0: array<i32, 4>;
  var dxAt: array<u32, 4>;
  var live: array<bool, 4>;
  for (var i = 0u; i < 4u; i++) {
    let pix = pixelGroup(wid, nwg) * 64u + lid.x + 16u * i;
    live[i] = pix < pixels;
    let q = min(pix, pixels - 1u);
    let b = q / plane;
    let r = q % plane;
    dyBase[i] = b * pc.k * oplane;
    ty0[i] = i32(r / pc.w) + i32(pc.padTop);
    tx0[i] = i32(r % pc.w) + i32(pc.padLeft);
    dxAt[i] = b * pc.c * plane + r;
  }
  var acc: array<vec4f, 4>;
  let taps = pc.kh * pc.kw;
  let s = i32(pc.stride);
  for (var ky = 0u; ky < pc.kh; ky++) {
    for (var kx = 0u; kx < pc.kw; kx++) {
      // Which of this thread's pixels this tap reaches, and from which dy position.
      var at: array<u32, 4>;
      var hit: array<bool, 4>;
      for (var i = 0u; i < 4u; i++) {
        let ty = ty0[i] - i32(ky);
        let tx = tx0[i] - i32(kx);
        hit[i] = ty >= 0 && tx >= 0 && ty % s == 0 && tx % s == 0 && ty / s < i32(pc.oh) && tx / s < i32(pc.ow);
        at[i] = dyBase[i] + select(0u, u32(ty / s) * pc.ow + u32(tx / s), hit[i]);
      }
      // Channels past c read channel c − 1 and are never stored; a missed tap multiplies by zero.
      var wAt = vec4u(min(c0, pc.c - 1u), min(c0 + 1u, pc.c - 1u), min(c0 + 2u, pc.c - 1u), min(c0 + 3u, pc.c - 1u)) * taps + ky * pc.kw + kx;
      for (var o = 0u; o < pc.k; o++) {
        let wv = vec4f(cin1[wAt.x], cin1[wAt.y], cin1[wAt.z], cin1[wAt.w]);
        wAt += pc.c * taps;
        for (var i = 0u; i < 4u; i++) {
          acc[i] += select(0.0, cin0[at[i] + o * oplane], hit[i]) * wv;
        }
      }
    }
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      if (live[i] && c0 + j < pc.c) { cout[dxAt[i] + (c0 + j) * plane] = acc[i][j]; }
    }
  }
}

// Stride-1 input gradient with KW ≤ 5: the forward's row trick run backwards. Each thread owns 4
// neighbouring pixels of one input row × 4 channels; per (o, ky) it loads the 3 + KW values of
// dy that their (flipped) windows share.
@compute @workgroup_size(16, 4)
fn conv_dx_row(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let quadsPerRow = (pc.w + 3u) / 4u;
  let quads = pc.n * pc.h * quadsPerRow;
  let quad = min(pixelGroup(wid, nwg) * 16u + lid.x, quads - 1u);
  let live = pixelGroup(wid, nwg) * 16u + lid.x < quads;
  let b = quad / (pc.h * quadsPerRow);
  let iy = (quad / quadsPerRow) % pc.h;
  let ix0 = (quad % quadsPerRow) * 4u;
  let c0 = wid.y * 16u + lid.y * 4u;
  let taps = pc.kh * KW;
  let wBase = vec4u(min(c0, pc.c - 1u), min(c0 + 1u, pc.c - 1u), min(c0 + 2u, pc.c - 1u), min(c0 + 3u, pc.c - 1u)) * taps;
  // dy column of window element t: ix0 + padLeft − (KW − 1) + t.
  let ox0 = i32(ix0 + pc.padLeft) - i32(KW - 1u);
  let oplane = pc.oh * pc.ow;
  var acc: array<vec4f, 4>;
  var ds: array<f32, 8>;
  for (var o = 0u; o < pc.k; o++) {
    let plane = (b * pc.k + o) * oplane;
    for (var ky = 0u; ky < pc.kh; ky++) {
      let oy = i32(iy + pc.padTop) - i32(ky);
      let rowInside = u32(oy) < pc.oh;
      let row = plane + u32(clamp(oy, 0, i32(pc.oh) - 1)) * pc.ow;
      for (var t = 0u; t < 3u + KW; t++) {
        let ox = ox0 + i32(t);
        ds[t] = select(0.0, cin0[row + u32(clamp(ox, 0, i32(pc.ow) - 1))], rowInside && u32(ox) < pc.ow);
      }
      let wAt = wBase + (o * pc.c * pc.kh + ky) * KW;
      for (var kx = 0u; kx < KW; kx++) {
        let wv = vec4f(cin1[wAt.x + kx], cin1[wAt.y + kx], cin1[wAt.z + kx], cin1[wAt.w + kx]);
        for (var i = 0u; i < 4u; i++) { acc[i] += ds[i + KW - 1u - kx] * wv; }
      }
    }
  }
  if (!live) { return; }
  let plane = pc.h * pc.w;
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      if (ix0 + i < pc.w && c0 + j < pc.c) { cout[((b * pc.c + c0 + j) * pc.h + iy) * pc.w + ix0 + i] = acc[i][j]; }
    }
  }
}

// Partial dw over one split of the (b, oy, ox) axis: part[split][o][ci·kh·kw + tap].
// Workgroup 16×4: 64 weight columns (ci, ky, kx) × 16 filters; z is the split.
@compute @workgroup_size(16, 4)
fn conv_dw(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let taps = pc.kh * pc.kw;
  let cols = pc.c * taps;
  // With row sums, column `cols` is a column of ones: its dot product with dy is Σ dy, the bias gradient.
  let width = cols + pc.rowSums;
  let oplane = pc.oh * pc.ow;
  let total = pc.n * oplane;
  let o0 = wid.y * 16u + lid.y * 4u;
  var xOff: array<u32, 4>;
  var ky: array<i32, 4>;
  var kx: array<i32, 4>;
  var live: array<bool, 4>;
  var ones: array<bool, 4>;
  for (var j = 0u; j < 4u; j++) {
    let col = wid.x * 64u + lid.x + 16u * j;
    live[j] = col < width;
    ones[j] = col == cols;
    let q = min(col, cols - 1u);
    let t = q % taps;
    xOff[j] = (q / taps) * pc.h * pc.w;
    ky[j] = i32(t / pc.kw) - i32(pc.padTop);
    kx[j] = i32(t % pc.kw) - i32(pc.padLeft);
  }
  var acc: array<vec4f, 4>;
  let start = wid.z * pc.chunk;
  let end = min(start + pc.chunk, total);
  var b = start / oplane;
  var oy = (start % oplane) / pc.ow;
  var ox = start % pc.ow;
  let dyAt = vec4u(min(o0, pc.k - 1u), min(o0 + 1u, pc.k - 1u), min(o0 + 2u, pc.k - 1u), min(o0 + 3u, pc.k - 1u)) * oplane;
  for (var r = start; r < end; r++) {
    // Filters past k read filter k − 1 and are never stored; padding multiplies by zero.
    let at = b * pc.k * oplane + oy * pc.ow + ox;
    let g = vec4f(cin1[at + dyAt.x], cin1[at + dyAt.y], cin1[at + dyAt.z], cin1[at + dyAt.w]);
    let xb = b * pc.c * pc.h * pc.w;
    for (var j = 0u; j < 4u; j++) {
      let iy = i32(oy * pc.stride) + ky[j];
      let ix = i32(ox * pc.stride) + kx[j];
      let inside = u32(iy) < pc.h && u32(ix) < pc.w;
      let xAt = xb + xOff[j] + u32(clamp(iy, 0, i32(pc.h) - 1)) * pc.w + u32(clamp(ix, 0, i32(pc.w) - 1));
      acc[j] += select(select(0.0, cin0[xAt], inside), 1.0, ones[j]) * g;
    }
    ox++;
    if (ox == pc.ow) {
      ox = 0u;
      oy++;
      if (oy == pc.oh) {
        oy = 0u;
        b++;
      }
    }
  }
  // Partials [split][k][width] when the reduction splits (pc.chunk < total); else dw and csums directly.
  let split = pc.chunk < total;
  let stride = select(cols, width, split);
  let part = wid.z * pc.k * stride;
  for (var j = 0u; j < 4u; j++) {
    let col = wid.x * 64u + lid.x + 16u * j;
    for (var i = 0u; i < 4u; i++) {
      if (!live[j] || o0 + i >= pc.k) { continue; }
      if (split || col < cols) { cout[part + (o0 + i) * stride + col] = acc[j][i]; } else { csums[o0 + i] = acc[j][i]; }
    }
  }
}

// dw (and the bias gradient, column `cols` of the partials with row sums) = Σ over splits.
@compute @workgroup_size(256)
fn sum_splits(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let width = ps.cols + ps.rowSums;
  let i = flatGroup(wid, nwg) * 256u + lid;
  if (i >= ps.rows * width) { return; }
  var acc = 0.0;
  for (var s = 0u; s < ps.splits; s++) { acc += parts[s * ps.rows * width + i]; }
  let row = i / width;
  let col = i % width;
  if (col < ps.cols) { summed[row * ps.cols + col] = acc; } else { sums[row] = acc; }
}
