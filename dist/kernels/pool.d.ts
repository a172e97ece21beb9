import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { type Values } from './spec.ts';
export declare const poolFields: {
    /** n·c planes of h×w */
    readonly planes: "u32";
    readonly h: "u32";
    readonly w: "u32";
    readonly size: "u32";
    readonly stride: "u32";
    readonly oh: "u32";
    readonly ow: "u32";
};
export type PoolParams = Values<typeof poolFields>;
/** shaders/pool.wgsl: one thread per element of the output (forward) or of the input map (backward). */
export declare const poolShader: import("./spec.ts").ShaderFamily<{
    readonly max_pool: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly lowest: "f32";
            /** n·c planes of h×w */
            readonly planes: "u32";
            readonly h: "u32";
            readonly w: "u32";
            readonly size: "u32";
            readonly stride: "u32";
            readonly oh: "u32";
            readonly ow: "u32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
    readonly max_pool_grad: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly lowest: "f32";
            /** n·c planes of h×w */
            readonly planes: "u32";
            readonly h: "u32";
            readonly w: "u32";
            readonly size: "u32";
            readonly stride: "u32";
            readonly oh: "u32";
            readonly ow: "u32";
        }>;
        readonly inputs: readonly ["x", "dy"];
        readonly outputs: readonly ["dx"];
    };
    readonly avg_pool: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly lowest: "f32";
            /** n·c planes of h×w */
            readonly planes: "u32";
            readonly h: "u32";
            readonly w: "u32";
            readonly size: "u32";
            readonly stride: "u32";
            readonly oh: "u32";
            readonly ow: "u32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
    readonly avg_pool_grad: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly lowest: "f32";
            /** n·c planes of h×w */
            readonly planes: "u32";
            readonly h: "u32";
            readonly w: "u32";
            readonly size: "u32";
            readonly stride: "u32";
            readonly oh: "u32";
            readonly ow: "u32";
        }>;
        readonly inputs: readonly ["dy"];
        readonly outputs: readonly ["dx"];
    };
}>;
export declare const maxPoolKernel: Kernel<PoolParams>;
/** Routes each window's gradient to its first maximum, found again from x (no index tensor). */
export declare const maxPoolGradKernel: Kernel<PoolParams>;
export declare const avgPoolKernel: Kernel<PoolParams>;
export declare const avgPoolGradKernel: Kernel<PoolParams>;
export declare function poolParams(x: Tensor, size: number, stride: number): PoolParams;
export declare function maxPool2d(x: Tensor, size?: number, stride?: number): Tensor;
export declare function avgPool2d(x: Tensor, size?: number, stride?: number): Tensor;
