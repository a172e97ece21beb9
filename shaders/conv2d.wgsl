// 2-D convolution, NCHW, weights [k, c, kh, kw], as three instances of the GEMM template
// (shaders/gemm.wgsl, appended after this file). The hooks gather the im2col matrix from x or dy
// as the tiles are staged, so no im2col buffer exists. Columns are pixels (or weight columns),
// so neighbouring threads read neighbouring addresses of x and dy.
//   CONV 0, forward:  y[o][pix]    = Σ_(ci,ky,kx) w[o][ci,ky,kx] · x(ci,ky,kx; pix)   M=k N=n·oh·ow K=c·kh·kw
//   CONV 1, dx:       dx[ci][pix]  = Σ_(o,ky,kx)  w[o][ci,ky,kx] · dy(o,ky,kx; pix)  M=c N=n·h·w   K=k·kh·kw
//   CONV 2, dw:       dw[o][col]   = Σ_(b,oy,ox)  dy[b,o,oy,ox] · x(col; b,oy,ox)    M=k N=c·kh·kw K=n·oh·ow
// The weight gradient splits its long K over workgroup z into partials (summed by sum_splits);
// with the row-sums flag it also gets a column of ones, so that column N is the bias gradient Σ dy.

override CONV: u32 = 0u;
// A four-wide: the forward's weights with c·kh·kw % 4 == 0, or the weight gradient's dy with
// oh·ow % 4 == 0 (four positions of one plane); `cin1v` is cin1 again, read as vec4.
override VEC_A: bool = false;

// The uniforms `pc` and `ps` and the bindings are declared in src/kernels/conv2d.ts.

fn hasBias() -> bool {
  return (pc.flags & 1u) != 0u;
}

fn rowSums() -> bool {
  return (pc.flags & 2u) != 0u;
}

// cin0, cin1, cbias: forward x, w, bias; dx dy, w, (unused); dw x, dy, (unused).
// cout: the result, or the weight gradient's partials [split][k][N] when it splits.
// csums: the bias gradient (row sums without split); a dummy otherwise.

fn taps() -> u32 {
  return pc.kh * pc.kw;
}

fn gemmN() -> u32 {
  switch (CONV) {
    case 0u: { return pc.n * pc.oh * pc.ow; }
    case 1u: { return pc.n * pc.h * pc.w; }
    default: { return pc.c * taps(); }
  }
}

fn mm_dims() -> vec3u {
  switch (CONV) {
    case 0u: { return vec3u(pc.k, gemmN(), pc.c * taps()); }
    case 1u: { return vec3u(pc.c, gemmN(), pc.k * taps()); }
    default: { return vec3u(pc.k, gemmN() + select(0u, 1u, rowSums()), pc.n * pc.oh * pc.ow); }
  }
}

fn mm_kChunk() -> u32 {
  return pc.kChunk;
}

fn mm_splits() -> u32 {
  return pc.splits;
}

fn mm_aKFast() -> bool {
  return CONV != 1u;
}

fn mm_bKFast() -> bool {
  return false;
}

fn mm_readA(row: u32, r: u32) -> f32 {
  let dims = mm_dims();
  if (row >= dims.x || r >= dims.z) { return 0.0; }
  switch (CONV) {
    case 0u: { return cin1[row * dims.z + r]; }
    case 1u: {
      // r = (o, tap): w[o][ci = row][tap]
      let o = r / taps();
      return cin1[(o * pc.c + row) * taps() + r % taps()];
    }
    default: {
      // r = (b, oy, ox): dy[b][o = row][oy, ox]
      let plane = pc.oh * pc.ow;
      return cin1[((r / plane) * pc.k + row) * plane + r % plane];
    }
  }
}

fn mm_aVec4() -> bool {
  return VEC_A && CONV != 1u;
}

// Called with r % 4 == 0 and r + 3 inside K: one aligned load.
fn mm_readA4(row: u32, r: u32) -> vec4f {
  let dims = mm_dims();
  if (row >= dims.x) { return vec4f(0.0); }
  if (CONV == 0u) { return cin1v[(row * dims.z + r) >> 2u]; }
  let plane = pc.oh * pc.ow;
  return cin1v[(((r / plane) * pc.k + row) * plane + r % plane) >> 2u];
}

// x[b][ci][oy·s + ky − pt][ox·s + kx − pl], 0 in the padding.
fn xAt(b: u32, ci: u32, oy: u32, ox: u32, ky: u32, kx: u32) -> f32 {
  let iy = i32(oy * pc.stride + ky) - i32(pc.padTop);
  let ix = i32(ox * pc.stride + kx) - i32(pc.padLeft);
  if (u32(iy) >= pc.h || u32(ix) >= pc.w) { return 0.0; }
  return cin0[((b * pc.c + ci) * pc.h + u32(iy)) * pc.w + u32(ix)];
}

fn readB(r: u32, col: u32) -> f32 {
  switch (CONV) {
    case 0u: {
      if (col >= gemmN()) { return 0.0; }
      let plane = pc.oh * pc.ow;
      let p = col % plane;
      let t = r % taps();
      return xAt(col / plane, r / taps(), p / pc.ow, p % pc.ow, t / pc.kw, t % pc.kw);
    }
    case 1u: {
      if (col >= gemmN()) { return 0.0; }
      // dy[b][o][oy][ox] with oy·s = iy + pt − ky (and ox likewise) inside the output
      let plane = pc.h * pc.w;
      let p = col % plane;
      let o = r / taps();
      let t = r % taps();
      let ty = i32(p / pc.w + pc.padTop) - i32(t / pc.kw);
      let tx = i32(p % pc.w + pc.padLeft) - i32(t % pc.kw);
      let s = i32(pc.stride);
      if (ty < 0 || tx < 0 || ty % s != 0 || tx % s != 0) { return 0.0; }
      let oy = u32(ty / s);
      let ox = u32(tx / s);
      if (oy >= pc.oh || ox >= pc.ow) { return 0.0; }
      return cin0[(((col / plane) * pc.k + o) * pc.oh + oy) * pc.ow + ox];
    }
    default: {
      if (rowSums() && col == gemmN()) { return 1.0; }
      if (col >= gemmN()) { return 0.0; }
      let plane = pc.oh * pc.ow;
      let p = r % plane;
      let t = col % taps();
      return xAt(r / plane, col / taps(), p / pc.ow, p % pc.ow, t / pc.kw, t % pc.kw);
    }
  }
}

fn mm_readB4(r: u32, col: u32) -> vec4f {
  if (r >= mm_dims().z) { return vec4f(0.0); }
  return vec4f(readB(r, col), readB(r, col + 1u), readB(r, col + 2u), readB(r, col + 3u));
}

fn mm_write4(split: u32, row: u32, col: u32, v: vec4f) {
  let dims = mm_dims();
  if (row >= dims.x) { return; }
  for (var t = 0u; t < 4u; t++) {
    let j = col + t;
    if (j >= dims.y) { return; }
    switch (CONV) {
      case 0u: {
        let plane = pc.oh * pc.ow;
        var x = v[t];
        if (hasBias()) { x += cbias[row]; }
        cout[((j / plane) * pc.k + row) * plane + j % plane] = activate(x, pc.flags >> 2u);
      }
      case 1u: {
        let plane = pc.h * pc.w;
        cout[((j / plane) * pc.c + row) * plane + j % plane] = v[t];
      }
      default: {
        if (pc.splits > 1u) {
          cout[(split * dims.x + row) * dims.y + j] = v[t];
        } else if (j < gemmN()) {
          cout[row * gemmN() + j] = v[t];
        } else {
          csums[row] = v[t];
        }
      }
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
