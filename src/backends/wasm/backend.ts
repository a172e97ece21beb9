/**
 * The fast CPU backend: tensors live in one shared WebAssembly.Memory, hot kernels are
 * hand-written WASM SIMD (assembly/) spread over all cores, and every other kernel runs its
 * reference `cpu` loop on views of the same memory, so nothing is ever copied through JS arrays.
 */
import { availableParallelism } from 'node:os';
import type { Kernel } from '../../kernels/kernel.ts';
import { affineKernel, axpyKernel } from '../../kernels/elementwise.ts';
import type { Backend, HostArray, Storage } from '../../tensor/backend.ts';
import { pack, type Block, type Fields, type Values } from '../../kernels/spec.ts';
import { fastKernels, type Ctx, type FastKernel } from './kernels.ts';
import { Heap, WasmStorage } from './heap.ts';
import { kernelModule, wasm, type SimdVariant } from './module.ts';
import { MAX_CHUNKS, ThreadPool, type KernelFn } from './pool.ts';

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
/** The backend's thread count unless told: WGNN_THREADS, else every core. */
export const defaultThreads = (): number => Number(process.env.WGNN_THREADS) || availableParallelism();

const PARAM_BYTES = 512;
/**
 * A split kernel is cut into this many chunks per thread, claimed dynamically: when the OS runs
 * a worker late, the other threads take its share.
 */
const CHUNKS_PER_THREAD = 4;

function wasmStorage(s: Storage): WasmStorage {
  if (!(s instanceof WasmStorage)) throw new Error('wasm backend: storage belongs to another backend');
  if (s.freed) throw new Error('wasm backend: storage used after free');
  return s;
}

export class WasmBackend implements Backend, Ctx {
  readonly name = 'wasm';
  readonly dtype = 'float32';
  readonly description: string;
  readonly threads: number;
  /** the kernels build in use */
  readonly simd: SimdVariant;
  readonly tileRows: number;
  readonly exports: Record<string, KernelFn & ((...args: number[]) => number)>;
  readonly #heap: Heap;
  readonly #pool: ThreadPool;
  readonly #params: number;
  readonly #minWork: number;
  readonly #workspaces = new Map<string, { ptr: number; bytes: number }>();
  readonly #debug: boolean;
  #chunks = 0;
  #disposed = false;

  constructor({
    // Any thread count gives the same bits: no reduction's order depends on which thread runs what.
    threads = defaultThreads(),
    maxMemoryMiB = 4096,
    minParallelWork = 1 << 17,
    simd = process.env.WGNN_WASM_SIMD === 'simd' ? 'simd' : 'relaxed',
    debug = process.env.WGNN_DEBUG === '1',
  }: WasmBackendOptions = {}) {
    this.#minWork = minParallelWork;
    this.#debug = debug;
    const { module, variant } = kernelModule(simd);
    this.simd = variant;
    this.#heap = new Heap(Math.min(maxMemoryMiB, 4096) * 2 ** 20);
    const instance = new wasm.Instance(module, { env: { memory: this.#heap.memory } });
    this.exports = instance.exports as WasmBackend['exports'];
    this.#heap.reserve(this.exports.heapBase());
    this.tileRows = this.exports.tileRows();
    this.threads = Math.max(1, Math.floor(threads));
    const stride = this.exports.scratchBytes();
    const scratch = this.#heap.allocBytes(stride * this.threads);
    this.#params = this.#heap.allocBytes(PARAM_BYTES);
    const names = wasm.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    this.#pool = new ThreadPool(module, this.#heap.memory, this.exports, names, this.threads, scratch, stride);
    this.description = `wasm: ${variant === 'relaxed' ? 'relaxed-SIMD (FMA)' : 'SIMD'} kernels on ${this.threads} thread${this.threads > 1 ? 's' : ''}`;
    if (debug) console.error(`[wgnn wasm] ${this.description}; ${(stride / 2 ** 20).toFixed(1)} MiB scratch a thread`);
  }

  alloc(length: number): Storage {
    return this.#heap.alloc(length);
  }

  free(storage: Storage): void {
    this.#heap.free(wasmStorage(storage));
  }

  write(storage: Storage, data: ArrayLike<number>, offset = 0): void {
    const s = wasmStorage(storage);
    if (offset + data.length > s.length) throw new Error(`wasm backend: writing ${data.length} values at ${offset} into a tensor of ${s.length}`);
    this.#heap.f32.set(data, s.ptr / 4 + offset);
  }

  async read(storage: Storage): Promise<HostArray> {
    return this.view(storage).slice();
  }

  /** A Float32Array over a tensor's memory, valid until the memory next grows. */
  view(storage: Storage): Float32Array {
    const s = wasmStorage(storage);
    return this.#heap.f32.subarray(s.ptr / 4, s.ptr / 4 + s.length);
  }

  run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void {
    const start = this.#debug ? performance.now() : 0;
    this.#chunks = 0;
    const fast = (fastKernels as Record<string, FastKernel<P> | 'reference' | undefined>)[kernel.name];
    if (fast === undefined) throw new Error(`wasm backend: kernel '${kernel.name}' is not in the WASM table (src/backends/wasm/kernels.ts)`);
    const done = fast !== 'reference' && fast(this, inputs.map((s) => wasmStorage(s).ptr), outputs.map((s) => wasmStorage(s).ptr), params, inputs.map((s) => s.length)) !== 'reference';
    if (!done) kernel.cpu(inputs.map((s) => this.view(s)), outputs.map((s) => this.view(s)), params);
    if (this.#debug) {
      const how = done ? `wasm, ${this.#chunks} chunk${this.#chunks === 1 ? '' : 's'}` : 'reference loop';
      console.error(`[wgnn wasm] ${kernel.name} (${how}) ${((performance.now() - start) * 1e3).toFixed(0)} µs`);
    }
  }

  accumulate(target: Storage, source: Storage): void {
    this.run(axpyKernel, [source], [target], { alpha: 1 });
  }

  copy(source: Storage, target: Storage): void {
    this.run(affineKernel, [source], [target], { scale: 1, shift: 0 });
  }

  flush(): void {}

  async sync(): Promise<void> {}

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#pool.dispose();
    if (this.#debug) console.error(`[wgnn wasm] heap: ${(this.#heap.size / 2 ** 20).toFixed(1)} MiB used at most, ${(this.#heap.live / 2 ** 20).toFixed(1)} MiB live at dispose`);
  }

  // Ctx: what the fast kernels use.

  setParams<F extends Fields>(b: Block<F>, values: Values<F>): number {
    if (b.bytes > PARAM_BYTES) throw new Error(`wasm backend: ${b.struct} takes ${b.bytes} bytes, above the ${PARAM_BYTES} reserved`);
    pack(b, values, this.#heap.view, this.#params);
    return this.#params;
  }

  parallel(fn: string, params: number, units: number, work: number, grain = 1, perThread = CHUNKS_PER_THREAD): void {
    const blocks = Math.ceil(units / grain);
    const byWork = work <= 0 ? 1 : this.#minWork > 0 ? Math.floor(work / this.#minWork) : Infinity;
    const threads = Math.max(1, Math.min(this.threads, blocks, byWork));
    const chunks = threads === 1 ? 1 : Math.min(blocks, threads * perThread, MAX_CHUNKS);
    const ranges: number[] = [];
    for (let i = 0; i < chunks; i++) ranges.push(Math.min(units, Math.round((blocks * i) / chunks) * grain), Math.min(units, Math.round((blocks * (i + 1)) / chunks) * grain));
    this.#chunks += chunks;
    this.#pool.run(fn, params, ranges);
  }

  parallelChunks(fn: string, params: number, units: number, chunks: number): void {
    const n = Math.max(1, Math.min(units, chunks, MAX_CHUNKS));
    const ranges: number[] = [];
    for (let i = 0; i < n; i++) ranges.push(Math.round((units * i) / n), Math.round((units * (i + 1)) / n));
    this.#chunks += n;
    this.#pool.run(fn, params, ranges, true);
  }

  workspace(slot: string, bytes: number): number {
    const have = this.#workspaces.get(slot);
    if (have && have.bytes >= bytes) return have.ptr;
    if (have) this.#heap.freeBytes(have.ptr, have.bytes);
    const ptr = this.#heap.allocBytes(bytes);
    this.#workspaces.set(slot, { ptr, bytes });
    return ptr;
  }
}
