/**
 * The softmax family (src/kernels/softmax.ts): softmax, cross-entropy and their gradients over
 * [rows, cols], rows [lo, hi) per thread.
 */

import { CrossEntropyGradParams, CrossEntropyParams, SoftmaxGradParams, SoftmaxParams } from './generated/params';
import { sexp, vexp } from './exp';

function rowMax(x: usize, cols: i32): f32 {
  let j = 0;
  let mv = f32x4.splat(-Infinity);
  for (; j + 4 <= cols; j += 4) mv = f32x4.pmax(mv, v128.load(x + (<usize>j << 2)));
  let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  for (; j < cols; j++) m = max(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

/** Σ e^(x − m), and e^(x − m) into out when out ≠ 0. */
function expSum(x: usize, cols: i32, m: f32, out: usize): f64 {
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const e = vexp(f32x4.sub(v128.load(x + (<usize>j << 2)), mv));
    if (out) v128.store(out + (<usize>j << 2), e);
    acc = f32x4.add(acc, e);
  }
  let s = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; j < cols; j++) {
    const e = sexp(load<f32>(x + (<usize>j << 2)) - m);
    if (out) store<f32>(out + (<usize>j << 2), e);
    s += e;
  }
  return s;
}

/** y[j] *= k. */
function scaleRow(y: usize, cols: i32, k: f32): void {
  const kv = f32x4.splat(k);
  let j = 0;
  for (; j + 4 <= cols; j += 4) v128.store(y + (<usize>j << 2), f32x4.mul(v128.load(y + (<usize>j << 2)), kv));
  for (; j < cols; j++) store<f32>(y + (<usize>j << 2), load<f32>(y + (<usize>j << 2)) * k);
}

export function softmax(params: usize, lo: i32, hi: i32): void {
  const cols = SoftmaxParams.cols(params);
  for (let r = lo; r < hi; r++) {
    const x = SoftmaxParams.x(params) + (<usize>(r * cols) << 2);
    const y = SoftmaxParams.y(params) + (<usize>(r * cols) << 2);
    scaleRow(y, cols, <f32>(1 / expSum(x, cols, rowMax(x, cols), y)));
  }
}

export function softmaxGrad(params: usize, lo: i32, hi: i32): void {
  const cols = SoftmaxGradParams.cols(params);
  for (let r = lo; r < hi; r++) {
    const off = <usize>(r * cols) << 2;
    const y = SoftmaxGradParams.y(params) + off, dy = SoftmaxGradParams.dy(params) + off, dx = SoftmaxGradParams.dx(params) + off;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(dy + (<usize>j << 2)), v128.load(y + (<usize>j << 2))));
    let dot = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    for (; j < cols; j++) dot += load<f32>(dy + (<usize>j << 2)) * load<f32>(y + (<usize>j << 2));
    const dv = f32x4.splat(dot);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(dx + o, f32x4.mul(v128.load(y + o), f32x4.sub(v128.load(dy + o), dv)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dx + o, load<f32>(y + o) * (load<f32>(dy + o) - dot));
    }
  }
}

export function crossEntropy(params: usize, lo: i32, hi: i32): void {
  const cols = CrossEntropyParams.cols(params);
  for (let r = lo; r < hi; r++) {
    const x = CrossEntropyParams.x(params) + (<usize>(r * cols) << 2);
    const label = <i32>load<f32>(CrossEntropyParams.labels(params) + (<usize>r << 2));
    const m = rowMax(x, cols);
    store<f32>(CrossEntropyParams.loss(params) + (<usize>r << 2), <f32>(Math.log(expSum(x, cols, m, 0)) + <f64>m - <f64>load<f32>(x + (<usize>label << 2))));
  }
}

/** dx = (softmax(x) − onehot) · dloss. */
export function crossEntropyGrad(params: usize, lo: i32, hi: i32): void {
  const cols = CrossEntropyGradParams.cols(params);
  for (let r = lo; r < hi; r++) {
    const x = CrossEntropyGradParams.x(params) + (<usize>(r * cols) << 2);
    const dx = CrossEntropyGradParams.dx(params) + (<usize>(r * cols) << 2);
    const label = <i32>load<f32>(CrossEntropyGradParams.labels(params) + (<usize>r << 2));
    const g = load<f32>(CrossEntropyGradParams.dloss(params) + (<usize>r << 2));
    const sum = expSum(x, cols, rowMax(x, cols), dx);
    scaleRow(dx, cols, <f32>(<f64>g / sum));
    const at = dx + (<usize>label << 2);
    store<f32>(at, load<f32>(at) - g);
  }
}
