/**
 * The recurrent layers' fused gate arithmetic for one time step (src/kernels/rnn.ts has the
 * reference loops and the layouts), sequences [lo, hi) per thread, four units at a time.
 * Gate order is PyTorch's: LSTM i, f, g, o; GRU r, z, n (reset-after).
 */

import { CELL_GRU, CELL_SIMPLE, RnnStepGradParams, RnnStepParams } from './generated/params';
import { vexp } from './exp';

// @ts-ignore: decorator
@inline function vsig(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), vexp(f32x4.neg(x))));
}

/** tanh(x) = 2σ(2x) − 1: one exponential, no overflow. */
// @ts-ignore: decorator
@inline function vtanh(x: v128): v128 {
  return f32x4.sub(f32x4.mul(f32x4.splat(2), vsig(f32x4.add(x, x))), f32x4.splat(1));
}

/** Loads `n` ≥ 1 floats (four when n ≥ 4) from `p`, zeros in the other lanes. */
// @ts-ignore: decorator
@inline function ld(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

// @ts-ignore: decorator
@inline function st(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

export function rnnStep(params: usize, lo: i32, hi: i32): void {
  const cell = RnnStepParams.cell(params), T = RnnStepParams.steps(params), H = RnnStepParams.hidden(params), t = RnnStepParams.t(params);
  const G = RnnStepParams.gates(params) * H, S = RnnStepParams.saved(params) * H;
  const xproj = RnnStepParams.xproj(params), hproj = RnnStepParams.hproj(params), hseq = RnnStepParams.hseq(params);
  const state = RnnStepParams.state(params), hprev = RnnStepParams.hprev(params), hcur = RnnStepParams.hcur(params);
  const one = f32x4.splat(1);
  for (let b = lo; b < hi; b++) {
    const x0 = (b * T + t) * G, p0 = b * G, s0 = (b * T + t) * S, h0 = (b * T + t) * H;
    for (let j = 0; j < H; j += 4) {
      const n = min(4, H - j);
      const hPrev = t == 0 ? f32x4.splat(0) : ld(at(hseq, h0 - H + j), n);
      let h: v128;
      if (cell == CELL_SIMPLE) {
        h = vtanh(f32x4.add(ld(at(xproj, x0 + j), n), ld(at(hproj, p0 + j), n)));
        st(at(state, s0 + j), h, n);
      } else if (cell == CELL_GRU) {
        const r = vsig(f32x4.add(ld(at(xproj, x0 + j), n), ld(at(hproj, p0 + j), n)));
        const z = vsig(f32x4.add(ld(at(xproj, x0 + H + j), n), ld(at(hproj, p0 + H + j), n)));
        const hn = ld(at(hproj, p0 + 2 * H + j), n);
        const nn = vtanh(f32x4.add(ld(at(xproj, x0 + 2 * H + j), n), f32x4.mul(r, hn)));
        h = f32x4.add(f32x4.mul(f32x4.sub(one, z), nn), f32x4.mul(z, hPrev));
        st(at(state, s0 + j), r, n);
        st(at(state, s0 + H + j), z, n);
        st(at(state, s0 + 2 * H + j), nn, n);
        st(at(state, s0 + 3 * H + j), hn, n);
      } else {
        const i = vsig(f32x4.add(ld(at(xproj, x0 + j), n), ld(at(hproj, p0 + j), n)));
        const f = vsig(f32x4.add(ld(at(xproj, x0 + H + j), n), ld(at(hproj, p0 + H + j), n)));
        const g = vtanh(f32x4.add(ld(at(xproj, x0 + 2 * H + j), n), ld(at(hproj, p0 + 2 * H + j), n)));
        const o = vsig(f32x4.add(ld(at(xproj, x0 + 3 * H + j), n), ld(at(hproj, p0 + 3 * H + j), n)));
        const cPrev = t == 0 ? f32x4.splat(0) : ld(at(state, s0 - S + 4 * H + j), n);
        const c = f32x4.add(f32x4.mul(f, cPrev), f32x4.mul(i, g));
        h = f32x4.mul(o, vtanh(c));
        st(at(state, s0 + j), i, n);
        st(at(state, s0 + H + j), f, n);
        st(at(state, s0 + 2 * H + j), g, n);
        st(at(state, s0 + 3 * H + j), o, n);
        st(at(state, s0 + 4 * H + j), c, n);
      }
      st(at(hprev, h0 + j), hPrev, n);
      st(at(hseq, h0 + j), h, n);
      st(at(hcur, b * H + j), h, n);
    }
  }
}

export function rnnStepGrad(params: usize, lo: i32, hi: i32): void {
  const cell = RnnStepGradParams.cell(params), T = RnnStepGradParams.steps(params), H = RnnStepGradParams.hidden(params), t = RnnStepGradParams.t(params);
  const G = RnnStepGradParams.gates(params) * H, S = RnnStepGradParams.saved(params) * H, seq = RnnStepGradParams.seq(params);
  const state = RnnStepGradParams.state(params), hprev = RnnStepGradParams.hprev(params), dhIn = RnnStepGradParams.dh(params), dhrec = RnnStepGradParams.dhrec(params);
  const carry = RnnStepGradParams.carry(params), dxproj = RnnStepGradParams.dxproj(params), dhproj = RnnStepGradParams.dhproj(params), dhcur = RnnStepGradParams.dhcur(params);
  const one = f32x4.splat(1);
  for (let b = lo; b < hi; b++) {
    const x0 = (b * T + t) * G, p0 = b * G, s0 = (b * T + t) * S;
    for (let j = 0; j < H; j += 4) {
      const n = min(4, H - j);
      let up = f32x4.splat(0);
      if (seq) up = ld(at(dhIn, (b * T + t) * H + j), n);
      else if (t == T - 1) up = ld(at(dhIn, b * H + j), n);
      const d = f32x4.add(up, ld(at(dhrec, b * H + j), n));
      if (cell == CELL_SIMPLE) {
        const h = ld(at(state, s0 + j), n);
        const da = f32x4.mul(d, f32x4.sub(one, f32x4.mul(h, h)));
        st(at(dxproj, x0 + j), da, n);
        st(at(dhproj, x0 + j), da, n);
        st(at(dhcur, p0 + j), da, n);
      } else if (cell == CELL_GRU) {
        const r = ld(at(state, s0 + j), n), z = ld(at(state, s0 + H + j), n);
        const nn = ld(at(state, s0 + 2 * H + j), n), hn = ld(at(state, s0 + 3 * H + j), n);
        const dt = f32x4.add(d, ld(at(carry, b * H + j), n));
        const dan = f32x4.mul(f32x4.mul(dt, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(nn, nn)));
        const daz = f32x4.mul(f32x4.mul(dt, f32x4.sub(ld(at(hprev, (b * T + t) * H + j), n), nn)), f32x4.mul(z, f32x4.sub(one, z)));
        const dar = f32x4.mul(f32x4.mul(dan, hn), f32x4.mul(r, f32x4.sub(one, r)));
        const dhn = f32x4.mul(dan, r);
        st(at(carry, b * H + j), f32x4.mul(dt, z), n);
        st(at(dxproj, x0 + j), dar, n);
        st(at(dxproj, x0 + H + j), daz, n);
        st(at(dxproj, x0 + 2 * H + j), dan, n);
        st(at(dhproj, x0 + j), dar, n);
        st(at(dhproj, x0 + H + j), daz, n);
        st(at(dhproj, x0 + 2 * H + j), dhn, n);
        st(at(dhcur, p0 + j), dar, n);
        st(at(dhcur, p0 + H + j), daz, n);
        st(at(dhcur, p0 + 2 * H + j), dhn, n);
      } else {
        const i = ld(at(state, s0 + j), n), f = ld(at(state, s0 + H + j), n), g = ld(at(state, s0 + 2 * H + j), n);
        const o = ld(at(state, s0 + 3 * H + j), n), c = ld(at(state, s0 + 4 * H + j), n);
        const cPrev = t == 0 ? f32x4.splat(0) : ld(at(state, s0 - S + 4 * H + j), n);
        const tc = vtanh(c);
        const dc = f32x4.add(ld(at(carry, b * H + j), n), f32x4.mul(f32x4.mul(d, o), f32x4.sub(one, f32x4.mul(tc, tc))));
        const dai = f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i)));
        const daf = f32x4.mul(f32x4.mul(dc, cPrev), f32x4.mul(f, f32x4.sub(one, f)));
        const dag = f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g)));
        const dao = f32x4.mul(f32x4.mul(d, tc), f32x4.mul(o, f32x4.sub(one, o)));
        st(at(carry, b * H + j), f32x4.mul(dc, f), n);
        st(at(dxproj, x0 + j), dai, n);
        st(at(dxproj, x0 + H + j), daf, n);
        st(at(dxproj, x0 + 2 * H + j), dag, n);
        st(at(dxproj, x0 + 3 * H + j), dao, n);
        st(at(dhproj, x0 + j), dai, n);
        st(at(dhproj, x0 + H + j), daf, n);
        st(at(dhproj, x0 + 2 * H + j), dag, n);
        st(at(dhproj, x0 + 3 * H + j), dao, n);
        st(at(dhcur, p0 + j), dai, n);
        st(at(dhcur, p0 + H + j), daf, n);
        st(at(dhcur, p0 + 2 * H + j), dag, n);
        st(at(dhcur, p0 + 3 * H + j), dao, n);
      }
    }
  }
}
