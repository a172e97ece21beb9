import type { Storage } from '../tensor/storage.ts';
/**
 * The contract between a kernel's `gpu` function and the WebGPU backend. Kernels never see a
 * GPUBuffer: they describe dispatches (shader family, entry point, specialisation key, bindings,
 * uniforms, workgroup counts) and the backend records them into its command encoder. This file
 * imports nothing from Dawn, so the kernel files that use it load without a GPU.
 */
/** A tensor's memory on the WebGPU backend. */
export type GpuStorage = Storage;
/** A window of a storage, in elements: kernels whose whole binding would pass the limit split. */
export interface GpuSlice {
    readonly storage: GpuStorage;
    /** A multiple of `limits.offsetAlignment`. */
    readonly offset: number;
    readonly length: number;
}
export type GpuBinding = GpuStorage | GpuSlice;
/** A uniform: a plain number is a u32; an f32 is tagged; `u32s` is a 16-byte aligned array. */
export type Uniform = number | {
    readonly f32: number;
} | {
    readonly u32s: readonly number[];
};
export declare const f32: (value: number) => Uniform;
/** Up to `size` u32s, zero-padded: shapes and strides, read in WGSL as `array<vec4u, size / 4>`. */
export declare function u32s(values: readonly number[], size?: number): Uniform;
export interface GpuDispatch {
    /** The family file `shaders/<shader>.wgsl`. */
    readonly shader: string;
    readonly entry: string;
    /** Pipeline-overridable constants (WGSL `override`): op selectors, transposes, bias, variants. */
    readonly key?: Readonly<Record<string, number | boolean>>;
    /** Bound read-only at bindings 1..k (binding 0 is the uniform block). */
    readonly inputs: readonly GpuBinding[];
    /** Bound read-write after the inputs. */
    readonly outputs: readonly GpuBinding[];
    readonly uniforms: readonly Uniform[];
    /**
     * A count is folded into x and y (Dawn stops at 65,535 per dimension; shaders rebuild the linear
     * index with `flatGroup`); a triple is used as it is.
     */
    readonly workgroups: number | readonly [number, number, number];
}
export interface GpuLimits {
    /** In elements (float32). */
    readonly maxBindingLength: number;
    /** In elements: where a `GpuSlice` may start. */
    readonly offsetAlignment: number;
    readonly maxWorkgroupsPerDimension: number;
    readonly maxStorageBuffersPerStage: number;
}
export interface GpuContext {
    readonly limits: GpuLimits;
    /**
     * Matmul and conv choose register-blocked tiles without workgroup memory (best where a
     * workgroup runs on one CPU thread and barriers are costly, as on lavapipe) over shared-memory
     * tiles (best on a real GPU).
     */
    readonly registerTiles: boolean;
    dispatch(d: GpuDispatch): void;
    /** Device memory for intermediate passes; returned to the pool once this kernel's work is submitted. */
    scratch(length: number): GpuStorage;
}
/** Records the dispatches of one kernel on the WebGPU backend. */
export type GpuKernel<P> = (ctx: GpuContext, inputs: readonly GpuStorage[], outputs: readonly GpuStorage[], params: P) => void;
export declare const ceilDiv: (a: number, b: number) => number;
/**
 * Splits [0, length) into chunks no longer than the binding limit, each starting on the offset
 * alignment: contiguous kernels (elementwise maps, optimizer updates) run chunk by chunk.
 */
export declare function chunks(limits: GpuLimits, length: number): {
    offset: number;
    length: number;
}[];
/** A window of `s`, or `s` itself when the window is all of it. */
export declare function slice(s: GpuStorage, offset: number, length: number): GpuBinding;
