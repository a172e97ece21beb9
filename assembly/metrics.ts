/**
 * The metrics family (src/kernels/metrics.ts): counting correct predictions over [rows, cols].
 */

import { CountCorrectParams } from './generated/params';

/** acc[0] += rows [lo, hi) whose first largest logit is at the label. One thread: the count is shared. */
export function countCorrect(params: usize, lo: i32, hi: i32): void {
  const cols = CountCorrectParams.cols(params);
  const logits = CountCorrectParams.logits(params);
  const labels = CountCorrectParams.labels(params);
  const acc = CountCorrectParams.acc(params);
  let correct = 0;
  for (let r = lo; r < hi; r++) {
    const x = logits + (<usize>(r * cols) << 2);
    let best = 0;
    for (let j = 1; j < cols; j++) if (load<f32>(x + (<usize>j << 2)) > load<f32>(x + (<usize>best << 2))) best = j;
    if (<f32>best == load<f32>(labels + (<usize>r << 2))) correct++;
  }
  store<f32>(acc, load<f32>(acc) + <f32>correct);
}
