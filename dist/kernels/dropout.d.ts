import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
/** shaders/dropout.wgsl. */
export declare const dropoutShader: import("./spec.ts").ShaderFamily<{
    readonly dropout: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
            /** index of this chunk's first element: the mask depends on the global index */
            readonly base: "u32";
            /** hash32(seed) */
            readonly stream: "u32";
            /** ⌈rate · 2³²⌉ */
            readonly threshold: "u32";
            /** 1 / (1 − rate) */
            readonly keep: "f32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
}>;
export interface DropoutParams {
    rate: number;
    /** u32 stream id: one per layer and step */
    seed: number;
}
/** y = x / (1 − rate) where the element's uniform ≥ rate, else 0. Its own backward. */
export declare const dropoutKernel: Kernel<DropoutParams>;
export declare function dropout(x: Tensor, rate: number, seed: number): Tensor;
