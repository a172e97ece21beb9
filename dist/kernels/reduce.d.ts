import { Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
/** shaders/reduce.wgsl. */
export declare const reduceShader: import("./spec.ts").ShaderFamily<{
    readonly sum_thread: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly keptShape: "u32x8";
            readonly keptIn: "u32x8";
            readonly keptOut: "u32x8";
            readonly redShape: "u32x8";
            readonly redIn: "u32x8";
            readonly nKept: "u32";
            readonly nRed: "u32";
            readonly outputs: "u32";
            readonly count: "u32";
            readonly scale: "f32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
    readonly sum_group: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly keptShape: "u32x8";
            readonly keptIn: "u32x8";
            readonly keptOut: "u32x8";
            readonly redShape: "u32x8";
            readonly redIn: "u32x8";
            readonly nKept: "u32";
            readonly nRed: "u32";
            readonly outputs: "u32";
            readonly count: "u32";
            readonly scale: "f32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
    readonly broadcast: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly shape: "u32x8";
            readonly strides: "u32x8";
            readonly n: "u32";
            readonly rank: "u32";
            readonly scale: "f32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
}>;
export interface SumToParams {
    /** The input's shape. */
    shape: number[];
    /** Where each input element lands in the output: 0 along summed axes. */
    outStrides: number[];
    /** Scales the sum (1 for sum, 1/count for mean). */
    scale: number;
}
export declare const sumToKernel: Kernel<SumToParams>;
/** Sums `x` down to `shape` (which broadcasts to x's shape); the identity when shapes agree. */
export declare function sumTo(x: Tensor, shape: Shape): Tensor;
export declare function sum(x: Tensor): Tensor;
export declare function mean(x: Tensor): Tensor;
export interface BroadcastParams {
    shape: number[];
    strides: number[];
    scale: number;
}
export declare const broadcastKernel: Kernel<BroadcastParams>;
/** Repeats `x` along its size-1 axes to `shape` (times `scale`). */
export declare function broadcastTo(x: Tensor, shape: Shape, scale?: number): Tensor;
