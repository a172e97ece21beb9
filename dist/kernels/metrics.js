/**
 * Metrics accumulated on the device, so a training step never waits for a readback: the loop
 * reads these sums once per logging interval.
 */
import { launchInPlace } from "../tensor/tensor.js";
/** acc[0] += number of rows whose first largest logit is at the label. */
export const countCorrectKernel = {
    name: 'countCorrect',
    cpu([x, labels], [acc], { rows, cols }) {
        let correct = 0;
        for (let r = 0; r < rows; r++) {
            let best = 0;
            for (let j = 1; j < cols; j++)
                if (x[r * cols + j] > x[r * cols + best])
                    best = j;
            if (best === labels[r])
                correct++;
        }
        acc[0] += correct;
    },
    gpu(ctx, inputs, outputs, { rows, cols }) {
        ctx.dispatch({ shader: 'metrics', entry: 'count_correct', inputs, outputs, uniforms: [rows, cols], workgroups: 1 });
    },
};
export function countCorrectInto(acc, logits, labels) {
    launchInPlace(countCorrectKernel, [logits, labels], [acc], { rows: logits.shape[0], cols: logits.shape[1] });
}
