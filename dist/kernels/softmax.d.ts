import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export interface RowsParams {
    rows: number;
    cols: number;
}
export declare const softmaxKernel: Kernel<RowsParams>;
/** dx = y ⊙ (dy − Σ dy·y) per row. */
export declare const softmaxGradKernel: Kernel<RowsParams>;
export declare function softmax(x: Tensor): Tensor;
/** Per-row loss −log softmax(x)[label], labels given as class indices stored in floats. */
export declare const crossEntropyKernel: Kernel<RowsParams>;
/** dx = (softmax(x) − onehot(label)) · dloss[row]. */
export declare const crossEntropyGradKernel: Kernel<RowsParams>;
/** Cross-entropy of each row of logits against its label: shape [rows]. */
export declare function crossEntropyPerRow(logits: Tensor, labels: Tensor): Tensor;
/** Mean sparse categorical cross-entropy from logits (Keras's `from_logits=True`). */
export declare function crossEntropy(logits: Tensor, labels: Tensor): Tensor;
