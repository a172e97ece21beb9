import type { WasmMemory, WasmModule } from './module.ts';
export declare const MAX_CHUNKS = 1024;
export type KernelFn = (params: number, lo: number, hi: number, scratch: number, tid: number) => void;
export declare class ThreadPool {
    #private;
    readonly threads: number;
    constructor(module: WasmModule, memory: WasmMemory, exports: Record<string, unknown>, names: string[], threads: number, scratch: number, stride: number);
    /**
     * Runs export `name` over the chunks `ranges` ([lo, hi) pairs), on every thread. The kernel's
     * last argument is the index of the thread running the chunk, or with `chunkSlot` the index of
     * the chunk itself: a kernel that keeps one partial sum per chunk then gives the same sums
     * whichever thread claims which chunk, and so the same result on any number of threads.
     */
    run(name: string, params: number, ranges: readonly number[], chunkSlot?: boolean): void;
    dispose(): void;
}
