/** Softmax over rows, and the fused log-softmax + cross-entropy that training uses. */
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { describe } from './shape.ts';
import { block, shaderFamily, type Values } from './spec.ts';
import { ceilDiv } from './gpu.ts';

export const rowsFields = { rows: 'u32', cols: 'u32' } as const;
export type RowsParams = Values<typeof rowsFields>;
const rows = block('rows', rowsFields);

/** shaders/softmax.wgsl: one thread per row. */
export const softmaxShader = shaderFamily('softmax', {
  softmax: { uniforms: rows, inputs: ['x'], outputs: ['probs'] },
  softmax_grad: { uniforms: rows, inputs: ['y', 'dy'], outputs: ['dx'] },
  cross_entropy: { uniforms: rows, inputs: ['x', 'labels'], outputs: ['loss'] },
  cross_entropy_grad: { uniforms: rows, inputs: ['x', 'labels', 'dloss'], outputs: ['dx'] },
  cross_entropy_mean: { uniforms: rows, inputs: ['x', 'labels'], outputs: ['loss'] },
  cross_entropy_mean_grad: { uniforms: rows, inputs: ['x', 'labels', 'dloss'], outputs: ['dx'] },
});

export const softmaxKernel: Kernel<RowsParams> = {
  name: 'softmax',
  cpu([x], [y], { rows, cols }) {
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
      for (let j = 0; j < cols; j++) y[r * cols + j] = Math.exp(x[r * cols + j] - max) / sum;
    }
  },
  gpu(ctx, [x], [probs], p) {
    ctx.dispatch(softmaxShader.dispatch('softmax', { inputs: { x }, outputs: { probs }, uniforms: p, workgroups: ceilDiv(p.rows, 64) }));
  },
};

/** dx = y ⊙ (dy − Σ dy·y) per row. */
export const softmaxGradKernel: Kernel<RowsParams> = {
  name: 'softmaxGrad',
  cpu([y, dy], [dx], { rows, cols }) {
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += dy[r * cols + j] * y[r * cols + j];
      for (let j = 0; j < cols; j++) dx[r * cols + j] = y[r * cols + j] * (dy[r * cols + j] - dot);
    }
  },
  gpu(ctx, [y, dy], [dx], p) {
    ctx.dispatch(softmaxShader.dispatch('softmax_grad', { inputs: { y, dy }, outputs: { dx }, uniforms: p, workgroups: ceilDiv(p.rows, 64) }));
  },
};

function rowsOf(x: Tensor, op: string): RowsParams {
  if (x.shape.length !== 2) throw new Error(`${op}: expected [rows, classes], got ${describe(x.shape)}`);
  return { rows: x.shape[0], cols: x.shape[1] };
}

export function softmax(x: Tensor): Tensor {
  const p = rowsOf(x, 'softmax');
  const [y] = launch(softmaxKernel, [x], [x.shape], p);
  return record(y, 'softmax', [x], (g) => [launch(softmaxGradKernel, [y, g], [x.shape], p)[0]]);
}

/** Per-row loss −log softmax(x)[label], labels given as class indices stored in floats. */
export const crossEntropyKernel: Kernel<RowsParams> = {
  name: 'crossEntropy',
  cpu([x, labels], [loss], { rows, cols }) {
    for (let r = 0; r < rows; r++) loss[r] = rowLoss(x, r, cols, labels[r]);
  },
  gpu(ctx, [x, labels], [loss], p) {
    ctx.dispatch(softmaxShader.dispatch('cross_entropy', { inputs: { x, labels }, outputs: { loss }, uniforms: p, workgroups: ceilDiv(p.rows, 64) }));
  },
};

/** dx = (softmax(x) − onehot(label)) · dloss[row]. */
export const crossEntropyGradKernel: Kernel<RowsParams> = {
  name: 'crossEntropyGrad',
  cpu([x, labels, dloss], [dx], { rows, cols }) {
    for (let r = 0; r < rows; r++) writeRowGrad(x, dx, r, cols, labels[r], dloss[r]);
  },
  gpu(ctx, [x, labels, dloss], [dx], p) {
    ctx.dispatch(softmaxShader.dispatch('cross_entropy_grad', { inputs: { x, labels, dloss }, outputs: { dx }, uniforms: p, workgroups: ceilDiv(p.rows, 64) }));
  },
};

/** Cross-entropy of each row of logits against its label: shape [rows]. */
export function crossEntropyPerRow(logits: Tensor, labels: Tensor): Tensor {
  const p = rowsOf(logits, 'crossEntropy');
  if (labels.size !== p.rows) throw new Error(`crossEntropy: ${labels.size} labels for ${p.rows} rows of logits`);
  const [loss] = launch(crossEntropyKernel, [logits, labels], [[p.rows]], p);
  return record(loss, 'crossEntropy', [logits], (g) => [launch(crossEntropyGradKernel, [logits, labels, g], [logits.shape], p)[0]]);
}

/** Row r's loss log Σ exp(x) − x[label] (computed in the precision of `x`). */
function rowLoss(x: ArrayLike<number>, r: number, cols: number, label: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
  return Math.log(sum) + max - x[r * cols + label];
}

/** Row r's gradient (softmax(x) − onehot(label)) · scale, written into dx. */
function writeRowGrad(x: ArrayLike<number>, dx: { [i: number]: number }, r: number, cols: number, label: number, scale: number): void {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
  for (let j = 0; j < cols; j++) {
    const target = j === label ? 1 : 0;
    dx[r * cols + j] = (Math.exp(x[r * cols + j] - max) / sum - target) * scale;
  }
}

/**
 * The mean loss over the rows, in one pass: training's loss without a separate reduction.
 * One workgroup (a batch is hundreds of rows at most).
 */
export const crossEntropyMeanKernel: Kernel<RowsParams> = {
  name: 'crossEntropyMean',
  cpu([x, labels], [loss], { rows, cols }) {
    let total = 0;
    for (let r = 0; r < rows; r++) total += rowLoss(x, r, cols, labels[r]);
    loss[0] = total / rows;
  },
  gpu(ctx, [x, labels], [loss], p) {
    ctx.dispatch(softmaxShader.dispatch('cross_entropy_mean', { inputs: { x, labels }, outputs: { loss }, uniforms: p, workgroups: 1 }));
  },
};

/** dx = (softmax(x) − onehot(label)) · dloss[0] / rows: the mean's gradient, broadcast in the same pass. */
export const crossEntropyMeanGradKernel: Kernel<RowsParams> = {
  name: 'crossEntropyMeanGrad',
  cpu([x, labels, dloss], [dx], { rows, cols }) {
    const scale = dloss[0] / rows;
    for (let r = 0; r < rows; r++) writeRowGrad(x, dx, r, cols, labels[r], scale);
  },
  gpu(ctx, [x, labels, dloss], [dx], p) {
    ctx.dispatch(softmaxShader.dispatch('cross_entropy_mean_grad', { inputs: { x, labels, dloss }, outputs: { dx }, uniforms: p, workgroups: ceilDiv(p.rows, 64) }));
  },
};

/**
 * Mean sparse categorical cross-entropy from logits (Keras's `from_logits=True`): one pass
 * forward and one backward, where the per-row loss, its mean and the mean's broadcast gradient
 * would take four.
 */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const p = rowsOf(logits, 'crossEntropy');
  if (labels.size !== p.rows) throw new Error(`crossEntropy: ${labels.size} labels for ${p.rows} rows of logits`);
  const [loss] = launch(crossEntropyMeanKernel, [logits, labels], [[1]], p);
  return record(loss, 'crossEntropy', [logits], (g) => [launch(crossEntropyMeanGradKernel, [logits, labels, g], [logits.shape], p)[0]]);
}
