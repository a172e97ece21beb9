/**
 * Elementwise kernels over contiguous float arrays, four lanes at a time where the op allows;
 * transcendental ops run per element in f64 so they match the reference's Math calls.
 * Exports take (params, lo, hi): the element (or row) range of this thread.
 */

import {
  AffineParams, AxpyParams, BinaryParams, BroadcastParams, DropoutParams, EmaParams, SumToParams, UnaryGradParams, UnaryParams,
  BINARY_ADD, BINARY_SUB, BINARY_MUL, hash32, hash32x4,
  UNARY_RELU, UNARY_TANH, UNARY_SOFTSIGN, UNARY_GELU, UNARY_SIGMOID, UNARY_EXP, UNARY_LOG, UNARY_NEG, UNARY_SQUARE, UNARY_SQRT,
} from './generated/params';

/** dst[0, count) = 0. */
export function zero(dst: usize, count: i32): void {
  memory.fill(dst, 0, <usize>count << 2);
}

/** dst[i] += src[i]. */
export function addTo(dst: usize, src: usize, count: i32): void {
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    const o = <usize>k << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; k < count; k++) {
    const o = <usize>k << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

function erf(x: f64): f64 {
  const s: f64 = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return s * (1 - poly * Math.exp(-a * a));
}

// The unary ops declared `wasm: 'lanes'` or 'scalar' in src/kernels/elementwise.ts; the build
// (scripts/gen-assembly.ts) stops when one lacks its case here. Ops declared 'reference' never
// reach these switches.
export function scalarOp(op: i32, x: f64): f64 {
  switch (op) {
    case UNARY_RELU: return x > 0 ? x : 0;
    case UNARY_TANH: return Math.tanh(x);
    case UNARY_GELU: return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
    case UNARY_SIGMOID: return 1 / (1 + Math.exp(-x));
    case UNARY_EXP: return Math.exp(x);
    case UNARY_LOG: return Math.log(x);
    case UNARY_SOFTSIGN: return x / (1 + Math.abs(x));
    case UNARY_NEG: return -x;
    case UNARY_SQUARE: return x * x;
    case UNARY_SQRT: return Math.sqrt(x);
    default: return NaN;
  }
}

function scalarDerivative(op: i32, x: f64): f64 {
  switch (op) {
    case UNARY_RELU: return x > 0 ? 1 : 0;
    case UNARY_TANH: { const t = Math.tanh(x); return 1 - t * t; }
    case UNARY_SOFTSIGN: { const d = 1 + Math.abs(x); return 1 / (d * d); }
    case UNARY_GELU: return 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case UNARY_SIGMOID: { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); }
    case UNARY_EXP: return Math.exp(x);
    case UNARY_LOG: return 1 / x;
    case UNARY_NEG: return -1;
    case UNARY_SQUARE: return 2 * x;
    case UNARY_SQRT: return 0.5 / Math.sqrt(x);
    default: return NaN;
  }
}

/** y = op(x). */
export function unary(params: usize, lo: i32, hi: i32): void {
  const op = UnaryParams.op(params);
  const x = UnaryParams.x(params);
  const y = UnaryParams.y(params);
  let k = lo;
  if (op == UNARY_RELU || op == UNARY_NEG || op == UNARY_SQUARE || op == UNARY_SQRT) {
    const zero = f32x4.splat(0);
    for (; k + 4 <= hi; k += 4) {
      const o = <usize>k << 2;
      const v = v128.load(x + o);
      let r: v128;
      if (op == UNARY_RELU) r = f32x4.pmax(v, zero);
      else if (op == UNARY_NEG) r = f32x4.neg(v);
      else if (op == UNARY_SQUARE) r = f32x4.mul(v, v);
      else r = f32x4.sqrt(v);
      v128.store(y + o, r);
    }
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, <f32>scalarOp(op, load<f32>(x + o)));
  }
}

/** dx = dy · op'(x). */
export function unaryGrad(params: usize, lo: i32, hi: i32): void {
  const op = UnaryGradParams.op(params);
  const x = UnaryGradParams.x(params);
  const dy = UnaryGradParams.dy(params);
  const dx = UnaryGradParams.dx(params);
  let k = lo;
  if (op == UNARY_RELU) {
    const zero = f32x4.splat(0);
    for (; k + 4 <= hi; k += 4) {
      const o = <usize>k << 2;
      v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(x + o), zero)));
    }
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(dx + o, <f32>(<f64>load<f32>(dy + o) * scalarDerivative(op, load<f32>(x + o))));
  }
}

/** y = x · scale + shift. */
export function affine(params: usize, lo: i32, hi: i32): void {
  const x = AffineParams.x(params);
  const y = AffineParams.y(params);
  const s = AffineParams.scale(params);
  const t = AffineParams.shift(params);
  const sv = f32x4.splat(s);
  const tv = f32x4.splat(t);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const o = <usize>k << 2;
    v128.store(y + o, f32x4.add(f32x4.mul(v128.load(x + o), sv), tv));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, load<f32>(x + o) * s + t);
  }
}

/** target += alpha · x. */
export function axpy(params: usize, lo: i32, hi: i32): void {
  const x = AxpyParams.x(params);
  const y = AxpyParams.y(params);
  const a = AxpyParams.alpha(params);
  const av = f32x4.splat(a);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const o = <usize>k << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v128.load(x + o), av)));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o) * a);
  }
}

// @ts-ignore: decorator
@inline function vop(op: i32, a: v128, b: v128): v128 {
  if (op == BINARY_ADD) return f32x4.add(a, b);
  if (op == BINARY_SUB) return f32x4.sub(a, b);
  if (op == BINARY_MUL) return f32x4.mul(a, b);
  return f32x4.div(a, b);
}

// @ts-ignore: decorator
@inline function sop(op: i32, a: f32, b: f32): f32 {
  if (op == BINARY_ADD) return a + b;
  if (op == BINARY_SUB) return a - b;
  if (op == BINARY_MUL) return a * b;
  return a / b;
}

/** One row of a broadcasting binary op: a and b step by sa, sb ∈ {0, 1, other}. */
function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, y: usize, n: i32): void {
  let k = 0;
  if (sa == 1 && sb == 1) {
    for (; k + 4 <= n; k += 4) {
      const o = <usize>k << 2;
      v128.store(y + o, vop(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(b);
    for (; k + 4 <= n; k += 4) {
      const o = <usize>k << 2;
      v128.store(y + o, vop(op, v128.load(a + o), bv));
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(a);
    for (; k + 4 <= n; k += 4) {
      const o = <usize>k << 2;
      v128.store(y + o, vop(op, av, v128.load(b + o)));
    }
  }
  for (; k < n; k++) store<f32>(y + (<usize>k << 2), sop(op, load<f32>(a + (<usize>(k * sa) << 2)), load<f32>(b + (<usize>(k * sb) << 2))));
}

/**
 * y = a ∘ b with broadcasting, over output rows [lo, hi) (a row is the last axis).
 */
export function binary(params: usize, lo: i32, hi: i32): void {
  const op = BinaryParams.op(params);
  const a = BinaryParams.a(params);
  const b = BinaryParams.b(params);
  const y = BinaryParams.y(params);
  const rank = BinaryParams.rank(params);
  const last = rank - 1;
  const n = BinaryParams.shape(params, last);
  const sa = BinaryParams.aStrides(params, last);
  const sb = BinaryParams.bStrides(params, last);
  for (let r = lo; r < hi; r++) {
    let rest = r;
    let oa = 0;
    let ob = 0;
    for (let d = last - 1; d >= 0; d--) {
      const dim = BinaryParams.shape(params, d);
      const idx = rest % dim;
      rest /= dim;
      oa += idx * BinaryParams.aStrides(params, d);
      ob += idx * BinaryParams.bStrides(params, d);
    }
    binaryRow(op, a + (<usize>oa << 2), sa, b + (<usize>ob << 2), sb, y + (<usize>(r * n) << 2), n);
  }
}

/** y = scale · x[broadcast index], over output rows [lo, hi). */
export function broadcast(params: usize, lo: i32, hi: i32): void {
  const x = BroadcastParams.x(params);
  const y = BroadcastParams.y(params);
  const rank = BroadcastParams.rank(params);
  const last = rank - 1;
  const n = BroadcastParams.shape(params, last);
  const sx = BroadcastParams.strides(params, last);
  const scale = BroadcastParams.scale(params);
  const sv = f32x4.splat(scale);
  for (let r = lo; r < hi; r++) {
    let rest = r;
    let ox = 0;
    for (let d = last - 1; d >= 0; d--) {
      const dim = BroadcastParams.shape(params, d);
      const idx = rest % dim;
      rest /= dim;
      ox += idx * BroadcastParams.strides(params, d);
    }
    const src = x + (<usize>ox << 2);
    const dst = y + (<usize>(r * n) << 2);
    let k = 0;
    if (sx == 0) {
      const v = f32x4.mul(v128.load32_splat(src), sv);
      for (; k + 4 <= n; k += 4) v128.store(dst + (<usize>k << 2), v);
    } else if (sx == 1) {
      for (; k + 4 <= n; k += 4) v128.store(dst + (<usize>k << 2), f32x4.mul(v128.load(src + (<usize>k << 2)), sv));
    }
    for (; k < n; k++) store<f32>(dst + (<usize>k << 2), scale * load<f32>(src + (<usize>(k * sx) << 2)));
  }
}

/** Horizontal sum of a row, four partial sums wide. */
function rowSum(x: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) acc = f32x4.add(acc, v128.load(x + (<usize>k << 2)));
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; k < n; k++) s += load<f32>(x + (<usize>k << 2));
  return s;
}

/**
 * y = scale · Σ x over the axes where outStrides is 0, for the input rows [0, rows).
 * One thread: the output is shared.
 */
export function sumTo(params: usize, lo: i32, hi: i32): void {
  const x = SumToParams.x(params);
  const y = SumToParams.y(params);
  const rank = SumToParams.rank(params);
  const outLength = SumToParams.outLength(params);
  const last = rank - 1;
  const n = SumToParams.shape(params, last);
  const sy = SumToParams.outStrides(params, last);
  const scale = SumToParams.scale(params);
  for (let k = 0; k < outLength; k++) store<f32>(y + (<usize>k << 2), 0);
  for (let r = lo; r < hi; r++) {
    let rest = r;
    let oy = 0;
    for (let d = last - 1; d >= 0; d--) {
      const dim = SumToParams.shape(params, d);
      const idx = rest % dim;
      rest /= dim;
      oy += idx * SumToParams.outStrides(params, d);
    }
    const src = x + (<usize>(r * n) << 2);
    const dst = y + (<usize>oy << 2);
    if (sy == 0) store<f32>(dst, load<f32>(dst) + rowSum(src, n));
    else if (sy == 1) addTo(dst, src, n);
    else for (let k = 0; k < n; k++) {
      const o = dst + (<usize>(k * sy) << 2);
      store<f32>(o, load<f32>(o) + load<f32>(src + (<usize>k << 2)));
    }
  }
  if (scale != 1) {
    const sv = f32x4.splat(scale);
    let k = 0;
    for (; k + 4 <= outLength; k += 4) v128.store(y + (<usize>k << 2), f32x4.mul(v128.load(y + (<usize>k << 2)), sv));
    for (; k < outLength; k++) store<f32>(y + (<usize>k << 2), load<f32>(y + (<usize>k << 2)) * scale);
  }
}

/**
 * Inverted dropout with the counter-based mask of src/kernels/random.ts: element i is kept when
 * hash32(hash32(seed) + i) ≥ threshold (= ⌈rate · 2³²⌉).
 */
export function dropout(params: usize, lo: i32, hi: i32): void {
  const x = DropoutParams.x(params);
  const y = DropoutParams.y(params);
  const base = hash32(DropoutParams.seed(params));
  const threshold = DropoutParams.threshold(params);
  const keep = DropoutParams.keep(params);
  const tv = i32x4.splat(threshold);
  const kv = f32x4.splat(keep);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const h = hash32x4(i32x4.add(i32x4.splat(base + k), i32x4(0, 1, 2, 3)));
    const o = <usize>k << 2;
    v128.store(y + o, v128.and(f32x4.mul(v128.load(x + o), kv), i32x4.ge_u(h, tv)));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, hash32(base + <u32>k) >= threshold ? load<f32>(x + o) * keep : 0);
  }
}

/** running ← momentum · running + rate · batch, in place. */
export function ema(params: usize, lo: i32, hi: i32): void {
  const batch = EmaParams.batch(params);
  const running = EmaParams.running(params);
  const m = EmaParams.momentum(params);
  const r = EmaParams.rate(params);
  const mv = f32x4.splat(m);
  const rv = f32x4.splat(r);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    const o = <usize>k << 2;
    v128.store(running + o, f32x4.add(f32x4.mul(mv, v128.load(running + o)), f32x4.mul(rv, v128.load(batch + o))));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(running + o, m * load<f32>(running + o) + r * load<f32>(batch + o));
  }
}
