/**
 * pool.ts for the page's bundle (src/serve/bundle.ts swaps it in): one thread, the page's own.
 * Worker threads would need Web Workers that each compile the kernels; one image at a time is
 * small enough that the page does not wait on it.
 */
import type { WasmMemory, WasmModule } from './module.ts';

export const MAX_CHUNKS = 1024;

export type KernelFn = (params: number, lo: number, hi: number, scratch: number, tid: number) => void;

export class ThreadPool {
  readonly threads = 1;
  readonly #fns = new Map<string, KernelFn>();
  readonly #scratch: number;

  constructor(module: WasmModule, memory: WasmMemory, exports: Record<string, unknown>, names: string[], threads: number, scratch: number, stride: number) {
    void module, memory, threads, stride;
    for (const n of names) this.#fns.set(n, exports[n] as KernelFn);
    this.#scratch = scratch;
  }

  /** Runs every chunk in order on this thread; with `chunkSlot` each gets its chunk's index, as on many threads. */
  run(name: string, params: number, ranges: readonly number[], chunkSlot = false): void {
    const fn = this.#fns.get(name);
    if (fn === undefined) throw new Error(`wasm backend: no kernel export '${name}'`);
    for (let c = 0; c < ranges.length / 2; c++) fn(params, ranges[2 * c], ranges[2 * c + 1], this.#scratch, chunkSlot ? c : 0);
  }

  dispose(): void {}
}
