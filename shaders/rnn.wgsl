// Recurrent layers' fused gate arithmetic, one thread per (sequence b, unit j) for time step
// rnnStep.t; src/kernels/rnn.ts has the reference loops, the layouts and the uniforms. Gate
// order is PyTorch's: LSTM i, f, g, o; GRU r, z, n (reset-after).

override WG: u32 = 64u;

fn sigm(x: f32) -> f32 {
  return 1.0 / (1.0 + exp(-x));
}

// tanh through exp of a non-positive argument: WGSL's tanh may overflow on large inputs.
fn tanhs(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}

fn gates(cell: u32) -> u32 {
  switch cell {
    case CELL_SIMPLE: { return 1u; }
    case CELL_GRU: { return 3u; }
    case CELL_LSTM: { return 4u; }
    default: { return 0u; }
  }
}

fn savedWidth(cell: u32) -> u32 {
  switch cell {
    case CELL_SIMPLE: { return 1u; }
    case CELL_GRU: { return 4u; }
    case CELL_LSTM: { return 5u; }
    default: { return 0u; }
  }
}

@compute @workgroup_size(WG)
fn rnn_step(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let id = flatGroup(wid, nwg) * WG + lid;
  let H = rnnStep.hidden;
  let T = rnnStep.steps;
  let t = rnnStep.t;
  if (id >= rnnStep.batch * H) { return; }
  let b = id / H;
  let j = id % H;
  let G = gates(rnnStep.cell) * H;
  let S = savedWidth(rnnStep.cell) * H;
  let x0 = (b * T + t) * G;
  let p0 = b * G;
  let s0 = (b * T + t) * S;
  let h0 = (b * T + t) * H;
  var hPrev = 0.0;
  if (t > 0u) { hPrev = hseq[h0 - H + j]; }
  var h = 0.0;
  switch rnnStep.cell {
    case CELL_SIMPLE: {
      h = tanhs(xproj[x0 + j] + hproj[p0 + j]);
      saved[s0 + j] = h;
    }
    case CELL_GRU: {
      let r = sigm(xproj[x0 + j] + hproj[p0 + j]);
      let z = sigm(xproj[x0 + H + j] + hproj[p0 + H + j]);
      let hn = hproj[p0 + 2u * H + j];
      let n = tanhs(xproj[x0 + 2u * H + j] + r * hn);
      h = (1.0 - z) * n + z * hPrev;
      saved[s0 + j] = r;
      saved[s0 + H + j] = z;
      saved[s0 + 2u * H + j] = n;
      saved[s0 + 3u * H + j] = hn;
    }
    case CELL_LSTM: {
      let i = sigm(xproj[x0 + j] + hproj[p0 + j]);
      let f = sigm(xproj[x0 + H + j] + hproj[p0 + H + j]);
      let g = tanhs(xproj[x0 + 2u * H + j] + hproj[p0 + 2u * H + j]);
      let o = sigm(xproj[x0 + 3u * H + j] + hproj[p0 + 3u * H + j]);
      var cPrev = 0.0;
      if (t > 0u) { cPrev = saved[s0 - S + 4u * H + j]; }
      let c = f * cPrev + i * g;
      h = o * tanhs(c);
      saved[s0 + j] = i;
      saved[s0 + H + j] = f;
      saved[s0 + 2u * H + j] = g;
      saved[s0 + 3u * H + j] = o;
      saved[s0 + 4u * H + j] = c;
    }
    default: {}
  }
  hprev[h0 + j] = hPrev;
  hseq[h0 + j] = h;
  hcur[b * H + j] = h;
}

@compute @workgroup_size(WG)
fn rnn_step_grad(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let id = flatGroup(wid, nwg) * WG + lid;
  let H = rnnStep.hidden;
  let T = rnnStep.steps;
  let t = rnnStep.t;
  if (id >= rnnStep.batch * H) { return; }
  let b = id / H;
  let j = id % H;
  let G = gates(rnnStep.cell) * H;
  let S = savedWidth(rnnStep.cell) * H;
  let x0 = (b * T + t) * G;
  let p0 = b * G;
  let s0 = (b * T + t) * S;
  var up = 0.0;
  if (rnnStep.seq != 0u) { up = dh[(b * T + t) * H + j]; } else if (t == T - 1u) { up = dh[b * H + j]; }
  let d = up + dhrec[b * H + j];
  switch rnnStep.cell {
    case CELL_SIMPLE: {
      let h = state[s0 + j];
      let da = d * (1.0 - h * h);
      dxproj[x0 + j] = da;
      dhproj[x0 + j] = da;
      dhcur[p0 + j] = da;
    }
    case CELL_GRU: {
      let r = state[s0 + j];
      let z = state[s0 + H + j];
      let n = state[s0 + 2u * H + j];
      let hn = state[s0 + 3u * H + j];
      let dt = d + carry[b * H + j];
      let dan = dt * (1.0 - z) * (1.0 - n * n);
      let daz = dt * (hbefore[(b * T + t) * H + j] - n) * z * (1.0 - z);
      let dar = dan * hn * r * (1.0 - r);
      carry[b * H + j] = dt * z;
      dxproj[x0 + j] = dar;
      dxproj[x0 + H + j] = daz;
      dxproj[x0 + 2u * H + j] = dan;
      dhproj[x0 + j] = dar;
      dhproj[x0 + H + j] = daz;
      dhproj[x0 + 2u * H + j] = dan * r;
      dhcur[p0 + j] = dar;
      dhcur[p0 + H + j] = daz;
      dhcur[p0 + 2u * H + j] = dan * r;
    }
    case CELL_LSTM: {
      let i = state[s0 + j];
      let f = state[s0 + H + j];
      let g = state[s0 + 2u * H + j];
      let o = state[s0 + 3u * H + j];
      let c = state[s0 + 4u * H + j];
      var cPrev = 0.0;
      if (t > 0u) { cPrev = state[s0 - S + 4u * H + j]; }
      let tc = tanhs(c);
      let dc = carry[b * H + j] + d * o * (1.0 - tc * tc);
      let da = array<f32, 4>(dc * g * i * (1.0 - i), dc * cPrev * f * (1.0 - f), dc * i * (1.0 - g * g), d * tc * o * (1.0 - o));
      carry[b * H + j] = dc * f;
      for (var k = 0u; k < 4u; k++) {
        dxproj[x0 + k * H + j] = da[k];
        dhproj[x0 + k * H + j] = da[k];
        dhcur[p0 + k * H + j] = da[k];
      }
    }
    default: {}
  }
}
