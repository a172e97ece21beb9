/**
 * Elementwise kernels over contiguous float arrays, four lanes at a time where the op allows;
 * transcendental ops run per element in f64 so they match the reference's Math calls.
 * Exports take (params, lo, hi): the element (or row) range of this thread.
 */

// @ts-ignore: decorator
@inline function i(p: usize, field: i32): i32 {
  return load<i32>(p + (<usize>field << 2));
}
// @ts-ignore: decorator
@inline function u(p: usize, field: i32): usize {
  return load<u32>(p + (<usize>field << 2));
}
// @ts-ignore: decorator
@inline function f(p: usize, field: i32): f32 {
  return load<f32>(p + (<usize>field << 2));
}

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

// Unary op codes, in the order of `unaryOps` (src/kernels/elementwise.ts).
const RELU = 0, TANH = 1, SOFTSIGN = 2, GELU = 3, SIGMOID = 4, EXP = 5, LOG = 6, NEG = 7, SQUARE = 8, SQRT = 9;

function erf(x: f64): f64 {
  const s: f64 = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return s * (1 - poly * Math.exp(-a * a));
}

function scalarOp(op: i32, x: f64): f64 {
  switch (op) {
    case TANH: return Math.tanh(x);
    case GELU: return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
    case SIGMOID: return 1 / (1 + Math.exp(-x));
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case SOFTSIGN: return x / (1 + Math.abs(x));
    case NEG: return -x;
    case SQUARE: return x * x;
    case SQRT: return Math.sqrt(x);
    default: return x > 0 ? x : 0;
  }
}

function scalarDerivative(op: i32, x: f64): f64 {
  switch (op) {
    case TANH: { const t = Math.tanh(x); return 1 - t * t; }
    case SOFTSIGN: { const d = 1 + Math.abs(x); return 1 / (d * d); }
    case GELU: return 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case SIGMOID: { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); }
    case EXP: return Math.exp(x);
    case LOG: return 1 / x;
    case NEG: return -1;
    case SQUARE: return 2 * x;
    case SQRT: return 0.5 / Math.sqrt(x);
    default: return x > 0 ? 1 : 0;
  }
}

/** y = op(x). Params [op, x, y]. */
export function unary(params: usize, lo: i32, hi: i32): void {
  const op = i(params, 0);
  const x = u(params, 1);
  const y = u(params, 2);
  let k = lo;
  if (op == RELU || op == NEG || op == SQUARE || op == SQRT) {
    const zero = f32x4.splat(0);
    for (; k + 4 <= hi; k += 4) {
      const o = <usize>k << 2;
      const v = v128.load(x + o);
      let r: v128;
      if (op == RELU) r = f32x4.pmax(v, zero);
      else if (op == NEG) r = f32x4.neg(v);
      else if (op == SQUARE) r = f32x4.mul(v, v);
      else r = f32x4.sqrt(v);
      v128.store(y + o, r);
    }
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, <f32>scalarOp(op, load<f32>(x + o)));
  }
}

/** dx = dy · op'(x). Params [op, x, dy, dx]. */
export function unaryGrad(params: usize, lo: i32, hi: i32): void {
  const op = i(params, 0);
  const x = u(params, 1);
  const dy = u(params, 2);
  const dx = u(params, 3);
  let k = lo;
  if (op == RELU) {
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

/** y = x · scale + shift. Params [x, y | scale, shift]. */
export function affine(params: usize, lo: i32, hi: i32): void {
  const x = u(params, 0);
  const y = u(params, 1);
  const s = f(params, 2);
  const t = f(params, 3);
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

/** target += alpha · x. Params [x, target | alpha]. */
export function axpy(params: usize, lo: i32, hi: i32): void {
  const x = u(params, 0);
  const y = u(params, 1);
  const a = f(params, 2);
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

const ADD = 0, SUB = 1, MUL = 2, DIV = 3;

// @ts-ignore: decorator
@inline function vop(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  return f32x4.div(a, b);
}

// @ts-ignore: decorator
@inline function sop(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
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
 * out = a ∘ b with broadcasting, over output rows [lo, hi) (a row is the last axis).
 * Params [op, a, b, out, rank, shape…, aStrides…, bStrides…].
 */
export function binary(params: usize, lo: i32, hi: i32): void {
  const op = i(params, 0);
  const a = u(params, 1);
  const b = u(params, 2);
  const y = u(params, 3);
  const rank = i(params, 4);
  const last = rank - 1;
  const n = i(params, 5 + last);
  const sa = i(params, 5 + rank + last);
  const sb = i(params, 5 + 2 * rank + last);
  for (let r = lo; r < hi; r++) {
    let rest = r;
    let oa = 0;
    let ob = 0;
    for (let d = last - 1; d >= 0; d--) {
      const dim = i(params, 5 + d);
      const idx = rest % dim;
      rest /= dim;
      oa += idx * i(params, 5 + rank + d);
      ob += idx * i(params, 5 + 2 * rank + d);
    }
    binaryRow(op, a + (<usize>oa << 2), sa, b + (<usize>ob << 2), sb, y + (<usize>(r * n) << 2), n);
  }
}

/** y = scale · x[broadcast index], over output rows [lo, hi). Params [x, y, rank, shape…, strides… | scale]. */
export function broadcast(params: usize, lo: i32, hi: i32): void {
  const x = u(params, 0);
  const y = u(params, 1);
  const rank = i(params, 2);
  const last = rank - 1;
  const n = i(params, 3 + last);
  const sx = i(params, 3 + rank + last);
  const scale = f(params, 3 + 2 * rank);
  const sv = f32x4.splat(scale);
  for (let r = lo; r < hi; r++) {
    let rest = r;
    let ox = 0;
    for (let d = last - 1; d >= 0; d--) {
      const dim = i(params, 3 + d);
      const idx = rest % dim;
      rest /= dim;
      ox += idx * i(params, 3 + rank + d);
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
 * Params [x, y, rank, outLength, shape…, outStrides… | scale]. One thread: the output is shared.
 */
export function sumTo(params: usize, lo: i32, hi: i32): void {
  const x = u(params, 0);
  const y = u(params, 1);
  const rank = i(params, 2);
  const outLength = i(params, 3);
  const last = rank - 1;
  const n = i(params, 4 + last);
  const sy = i(params, 4 + rank + last);
  const scale = f(params, 4 + 2 * rank);
  for (let k = 0; k < outLength; k++) store<f32>(y + (<usize>k << 2), 0);
  for (let r = lo; r < hi; r++) {
    let rest = r;
    let oy = 0;
    for (let d = last - 1; d >= 0; d--) {
      const dim = i(params, 4 + d);
      const idx = rest % dim;
      rest /= dim;
      oy += idx * i(params, 4 + rank + d);
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

function hash32(v: u32): u32 {
  v ^= v >> 16;
  v *= 0x7feb352d;
  v ^= v >> 15;
  v *= 0x846ca68b;
  return v ^ (v >> 16);
}

/**
 * Inverted dropout with the counter-based mask of src/kernels/random.ts: element i is kept when
 * hash32(hash32(seed) + i) ≥ threshold (= ⌈rate · 2³²⌉). Params [x, y, seed, threshold | keep].
 */
export function dropout(params: usize, lo: i32, hi: i32): void {
  const x = u(params, 0);
  const y = u(params, 1);
  const base = hash32(load<u32>(params, 8));
  const threshold = load<u32>(params, 12);
  const keep = f(params, 4);
  const c1 = i32x4.splat(0x7feb352d);
  const c2 = i32x4.splat(0x846ca68b);
  const tv = i32x4.splat(threshold);
  const kv = f32x4.splat(keep);
  let k = lo;
  for (; k + 4 <= hi; k += 4) {
    let h = i32x4.add(i32x4.splat(base + k), i32x4(0, 1, 2, 3));
    h = v128.xor(h, i32x4.shr_u(h, 16));
    h = i32x4.mul(h, c1);
    h = v128.xor(h, i32x4.shr_u(h, 15));
    h = i32x4.mul(h, c2);
    h = v128.xor(h, i32x4.shr_u(h, 16));
    const o = <usize>k << 2;
    v128.store(y + o, v128.and(f32x4.mul(v128.load(x + o), kv), i32x4.ge_u(h, tv)));
  }
  for (; k < hi; k++) {
    const o = <usize>k << 2;
    store<f32>(y + o, hash32(base + <u32>k) >= threshold ? load<f32>(x + o) * keep : 0);
  }
}
