import type { WasmMemory, WasmModule } from './module.ts';
export declare const MAX_CHUNKS = 1024;
export type KernelFn = (params: number, lo: number, hi: number, scratch: number, tid: number) => void;
export declare class ThreadPool {
    #private;
    readonly threads: number;
    constructor(module: WasmModule, memory: WasmMemory, exports: Record<string, unknown>, names: string[], threads: number, scratch: number, stride: number);
    /** Runs export `name` over the chunks `ranges` ([lo, hi) pairs), on every thread. */
    run(name: string, params: number, ranges: readonly number[]): void;
    dispose(): void;
}
