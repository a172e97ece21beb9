/**
 * Metrics accumulated on the device, so a training step never waits for a readback: the loop
 * reads these sums once per logging interval.
 */
import { launchInPlace, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { rowsFields, type RowsParams } from './softmax.ts';
import { block, shaderFamily } from './spec.ts';

/** shaders/metrics.wgsl. */
export const metricsShader = shaderFamily('metrics', {
  count_correct: { uniforms: block('rows', rowsFields), inputs: ['logits', 'labels'], outputs: ['acc'] },
});

/** acc[0] += number of rows whose first largest logit is at the label. */
export const countCorrectKernel: Kernel<RowsParams> = {
  name: 'countCorrect',
  cpu([x, labels], [acc], { rows, cols }) {
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < cols; j++) if (x[r * cols + j] > x[r * cols + best]) best = j;
      if (best === labels[r]) correct++;
    }
    acc[0] += correct;
  },
  gpu(ctx, [logits, labels], [acc], p) {
    ctx.dispatch(metricsShader.dispatch('count_correct', { inputs: { logits, labels }, outputs: { acc }, uniforms: p, workgroups: 1 }));
  },
};

export function countCorrectInto(acc: Tensor, logits: Tensor, labels: Tensor): void {
  launchInPlace(countCorrectKernel, [logits, labels], [acc], { rows: logits.shape[0], cols: logits.shape[1] });
}
