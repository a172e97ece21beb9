/** Softmax over rows, and the fused log-softmax + cross-entropy that training uses. */
import { record } from "../tensor/autograd.js";
import { launch } from "../tensor/tensor.js";
import { mean } from "./reduce.js";
import { describe } from "./shape.js";
import { ceilDiv } from "./gpu.js";
export const softmaxKernel = {
    name: 'softmax',
    cpu([x], [y], { rows, cols }) {
        for (let r = 0; r < rows; r++) {
            let max = -Infinity;
            for (let j = 0; j < cols; j++)
                max = Math.max(max, x[r * cols + j]);
            let sum = 0;
            for (let j = 0; j < cols; j++)
                sum += Math.exp(x[r * cols + j] - max);
            for (let j = 0; j < cols; j++)
                y[r * cols + j] = Math.exp(x[r * cols + j] - max) / sum;
        }
    },
    gpu(ctx, inputs, outputs, { rows, cols }) {
        ctx.dispatch({ shader: 'softmax', entry: 'softmax', inputs, outputs, uniforms: [rows, cols], workgroups: ceilDiv(rows, 64) });
    },
};
/** dx = y ⊙ (dy − Σ dy·y) per row. */
export const softmaxGradKernel = {
    name: 'softmaxGrad',
    cpu([y, dy], [dx], { rows, cols }) {
        for (let r = 0; r < rows; r++) {
            let dot = 0;
            for (let j = 0; j < cols; j++)
                dot += dy[r * cols + j] * y[r * cols + j];
            for (let j = 0; j < cols; j++)
                dx[r * cols + j] = y[r * cols + j] * (dy[r * cols + j] - dot);
        }
    },
    gpu(ctx, inputs, outputs, { rows, cols }) {
        ctx.dispatch({ shader: 'softmax', entry: 'softmax_grad', inputs, outputs, uniforms: [rows, cols], workgroups: ceilDiv(rows, 64) });
    },
};
function rowsOf(x, op) {
    if (x.shape.length !== 2)
        throw new Error(`${op}: expected [rows, classes], got ${describe(x.shape)}`);
    return { rows: x.shape[0], cols: x.shape[1] };
}
export function softmax(x) {
    const p = rowsOf(x, 'softmax');
    const [y] = launch(softmaxKernel, [x], [x.shape], p);
    return record(y, 'softmax', [x], (g) => [launch(softmaxGradKernel, [y, g], [x.shape], p)[0]]);
}
/** Per-row loss −log softmax(x)[label], labels given as class indices stored in floats. */
export const crossEntropyKernel = {
    name: 'crossEntropy',
    cpu([x, labels], [loss], { rows, cols }) {
        for (let r = 0; r < rows; r++) {
            let max = -Infinity;
            for (let j = 0; j < cols; j++)
                max = Math.max(max, x[r * cols + j]);
            let sum = 0;
            for (let j = 0; j < cols; j++)
                sum += Math.exp(x[r * cols + j] - max);
            loss[r] = Math.log(sum) + max - x[r * cols + labels[r]];
        }
    },
    gpu(ctx, inputs, outputs, { rows, cols }) {
        ctx.dispatch({ shader: 'softmax', entry: 'cross_entropy', inputs, outputs, uniforms: [rows, cols], workgroups: ceilDiv(rows, 64) });
    },
};
/** dx = (softmax(x) − onehot(label)) · dloss[row]. */
export const crossEntropyGradKernel = {
    name: 'crossEntropyGrad',
    cpu([x, labels, dloss], [dx], { rows, cols }) {
        for (let r = 0; r < rows; r++) {
            let max = -Infinity;
            for (let j = 0; j < cols; j++)
                max = Math.max(max, x[r * cols + j]);
            let sum = 0;
            for (let j = 0; j < cols; j++)
                sum += Math.exp(x[r * cols + j] - max);
            for (let j = 0; j < cols; j++) {
                const target = j === labels[r] ? 1 : 0;
                dx[r * cols + j] = (Math.exp(x[r * cols + j] - max) / sum - target) * dloss[r];
            }
        }
    },
    gpu(ctx, inputs, outputs, { rows, cols }) {
        ctx.dispatch({ shader: 'softmax', entry: 'cross_entropy_grad', inputs, outputs, uniforms: [rows, cols], workgroups: ceilDiv(rows, 64) });
    },
};
/** Cross-entropy of each row of logits against its label: shape [rows]. */
export function crossEntropyPerRow(logits, labels) {
    const p = rowsOf(logits, 'crossEntropy');
    if (labels.size !== p.rows)
        throw new Error(`crossEntropy: ${labels.size} labels for ${p.rows} rows of logits`);
    const [loss] = launch(crossEntropyKernel, [logits, labels], [[p.rows]], p);
    return record(loss, 'crossEntropy', [logits], (g) => [launch(crossEntropyGradKernel, [logits, labels, g], [logits.shape], p)[0]]);
}
/** Mean sparse categorical cross-entropy from logits (Keras's `from_logits=True`). */
export function crossEntropy(logits, labels) {
    return mean(crossEntropyPerRow(logits, labels));
}
