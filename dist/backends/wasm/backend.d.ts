import type { Kernel } from '../../kernels/kernel.ts';
import type { Backend, HostArray, Storage } from '../../tensor/backend.ts';
import { type Ctx } from './kernels.ts';
import { type SimdVariant } from './module.ts';
import { type KernelFn } from './pool.ts';
export interface WasmBackendOptions {
    /** worker threads plus the main thread; defaults to every core */
    threads?: number;
    /** the memory's maximum size (reserved, not committed); defaults to 4 GiB */
    maxMemoryMiB?: number;
    /**
     * Work (about one flop a unit) each extra thread must get before a kernel is split: waking a
     * worker costs ~10 µs. Tests set 0 to split every kernel.
     */
    minParallelWork?: number;
    /**
     * 'relaxed' (the default, unless WGNN_WASM_SIMD=simd) uses relaxed SIMD's fused multiply-add
     * where the engine has it and plain SIMD elsewhere; 'simd' always uses plain SIMD.
     */
    simd?: SimdVariant;
    /** Prints every kernel (WASM or reference loop, chunks, time) and the heap at dispose (also `WGNN_DEBUG=1`). */
    debug?: boolean;
}
export declare class WasmBackend implements Backend, Ctx {
    #private;
    readonly name = "wasm";
    readonly dtype = "float32";
    readonly description: string;
    readonly threads: number;
    /** the kernels build in use */
    readonly simd: SimdVariant;
    readonly tileRows: number;
    readonly exports: Record<string, KernelFn & ((...args: number[]) => number)>;
    constructor({ threads, maxMemoryMiB, minParallelWork, simd, debug, }?: WasmBackendOptions);
    alloc(length: number): Storage;
    free(storage: Storage): void;
    write(storage: Storage, data: ArrayLike<number>, offset?: number): void;
    read(storage: Storage): Promise<HostArray>;
    /** A Float32Array over a tensor's memory, valid until the memory next grows. */
    view(storage: Storage): Float32Array;
    run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void;
    accumulate(target: Storage, source: Storage): void;
    copy(source: Storage, target: Storage): void;
    flush(): void;
    sync(): Promise<void>;
    dispose(): void;
    setParams(ints: readonly number[], floats?: readonly number[]): number;
    parallel(fn: string, params: number, units: number, work: number, grain?: number, perThread?: number): void;
    workspace(slot: string, bytes: number): number;
}
