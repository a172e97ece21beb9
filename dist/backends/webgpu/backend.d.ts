/**
 * The WebGPU backend: kernels' `gpu` functions record dispatches into one long-lived command
 * encoder (one compute pass between copies); `flush` submits it, `read` copies into a staging
 * buffer in that same encoder and maps it, `sync` waits for the queue. Uniform blocks of a whole
 * batch live in one arena bound with dynamic offsets and written once per submit; bind groups are
 * cached by their buffers. Every Dawn validation error and a device loss reject the next call.
 */
import type { Backend, HostArray, Storage } from '../../tensor/backend.ts';
import type { Kernel } from '../../kernels/kernel.ts';
import type { GpuLimits } from '../../kernels/gpu.ts';
import { type PoolStats } from './pool.ts';
export interface WebGpuOptions {
    /** Prints every dispatch and submit and the pool's state (also `WGNN_DEBUG=1`). */
    debug?: boolean;
    /** Overrides the adapter-based choice of matmul/conv tiling (see GpuContext.registerTiles). */
    registerTiles?: boolean;
    /** Lowers the storage-binding limit the backend enforces, in bytes: tests of splitting use it. */
    maxBindingBytes?: number;
}
export interface WebGpuStats {
    dispatches: number;
    submits: number;
    pipelines: number;
    pool: PoolStats;
}
export declare class WebGpuBackend implements Backend {
    #private;
    readonly name = "webgpu";
    readonly dtype: "float32";
    readonly description: string;
    readonly limits: GpuLimits;
    /** A CPU adapter (lavapipe): correct, but slower than wgnn's own CPU backend. */
    readonly software: boolean;
    readonly registerTiles: boolean;
    private constructor();
    /** Opens the adapter's device; throws, saying why, when there is none. */
    static create(options?: WebGpuOptions): Promise<WebGpuBackend>;
    alloc(length: number): Storage;
    free(storage: Storage): void;
    write(storage: Storage, data: ArrayLike<number>, offset?: number): void;
    read(storage: Storage): Promise<HostArray>;
    run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void;
    accumulate(target: Storage, source: Storage): void;
    copy(source: Storage, target: Storage): void;
    flush(): void;
    sync(): Promise<void>;
    /** Compiles a kernel's pipelines in the background, so the first timed step does not. */
    warmup<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): Promise<void>;
    stats(): WebGpuStats;
    /** Destroys every buffer and the device, so that Node can exit. */
    dispose(): void;
}
