/**
 * The kernels with a hand-written WASM implementation, by registry name: each writes its
 * parameter block, splits the work over the threads and calls its export (assembly/index.ts).
 * Kernels not listed here run their reference loop on the shared memory.
 */
import type { KernelName, ParamsOf } from '../../kernels/registry.ts';
/** What the backend offers a fast kernel. Pointers are byte offsets into the shared memory. */
export interface Ctx {
    readonly threads: number;
    /** rows of the GEMM micro-tile of the kernels build in use */
    readonly tileRows: number;
    readonly exports: Record<string, (...args: number[]) => number>;
    /** Writes the parameter block (i32 values, then f32 values) and returns its pointer. */
    setParams(ints: readonly number[], floats?: readonly number[]): number;
    /**
     * Runs export `fn` over units [0, units), cut into chunks of multiples of `grain` (about
     * `perThread` per thread) that the threads claim as they go; `work` (flops) decides whether
     * to use the workers at all, and 0 keeps the kernel on this thread.
     */
    parallel(fn: string, params: number, units: number, work: number, grain?: number, perThread?: number): void;
    /** A reusable block of at least `bytes` for slot `slot`. */
    workspace(slot: string, bytes: number): number;
}
/** Returns false when these params are not covered: the backend then runs the reference loop. */
export type FastKernel<P> = (ctx: Ctx, inputs: number[], outputs: number[], params: P, lengths: number[]) => void | false;
type FastKernels = {
    [K in KernelName]?: FastKernel<ParamsOf<K>>;
};
/**
 * Merges neighbouring axes that every operand walks contiguously (or not at all), so a row
 * loop in WASM covers as much as possible: [shape, ...strides] → the same, fewer axes.
 */
export declare function collapse(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): {
    shape: number[];
    strides: number[][];
};
export declare const fastKernels: FastKernels;
export {};
