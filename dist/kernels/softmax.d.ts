import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { type Values } from './spec.ts';
export declare const rowsFields: {
    readonly rows: "u32";
    readonly cols: "u32";
};
export type RowsParams = Values<typeof rowsFields>;
/** shaders/softmax.wgsl: one thread per row. */
export declare const softmaxShader: import("./spec.ts").ShaderFamily<{
    readonly softmax: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly rows: "u32";
            readonly cols: "u32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["probs"];
    };
    readonly softmax_grad: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly rows: "u32";
            readonly cols: "u32";
        }>;
        readonly inputs: readonly ["y", "dy"];
        readonly outputs: readonly ["dx"];
    };
    readonly cross_entropy: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly rows: "u32";
            readonly cols: "u32";
        }>;
        readonly inputs: readonly ["x", "labels"];
        readonly outputs: readonly ["loss"];
    };
    readonly cross_entropy_grad: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly rows: "u32";
            readonly cols: "u32";
        }>;
        readonly inputs: readonly ["x", "labels", "dloss"];
        readonly outputs: readonly ["dx"];
    };
}>;
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
