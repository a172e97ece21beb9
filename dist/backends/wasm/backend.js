/**
 * The fast CPU backend: tensors live in one shared WebAssembly.Memory, hot kernels are
 * hand-written WASM SIMD (assembly/) spread over all cores, and every other kernel runs its
 * reference `cpu` loop on views of the same memory, so nothing is ever copied through JS arrays.
 */
import { availableParallelism } from 'node:os';
import { affineKernel, axpyKernel } from "../../kernels/elementwise.js";
import { fastKernels } from "./kernels.js";
import { Heap, WasmStorage } from "./heap.js";
import { kernelModule, wasm } from "./module.js";
import { MAX_CHUNKS, ThreadPool } from "./pool.js";
const PARAM_BYTES = 512;
/**
 * A split kernel is cut into this many chunks per thread, claimed dynamically: when the OS runs
 * a worker late, the other threads take its share.
 */
const CHUNKS_PER_THREAD = 4;
function wasmStorage(s) {
    if (!(s instanceof WasmStorage))
        throw new Error('wasm backend: storage belongs to another backend');
    if (s.freed)
        throw new Error('wasm backend: storage used after free');
    return s;
}
export class WasmBackend {
    name = 'wasm';
    dtype = 'float32';
    description;
    threads;
    /** the kernels build in use */
    simd;
    tileRows;
    exports;
    #heap;
    #pool;
    #params;
    #minWork;
    #workspaces = new Map();
    #debug;
    #chunks = 0;
    #disposed = false;
    constructor({ 
    // WGNN_THREADS=1 gives bit-identical reruns: with several threads claiming chunks as they go,
    // the order of partial sums (conv weight gradients) varies from run to run.
    threads = Number(process.env.WGNN_THREADS) || availableParallelism(), maxMemoryMiB = 4096, minParallelWork = 1 << 17, simd = process.env.WGNN_WASM_SIMD === 'simd' ? 'simd' : 'relaxed', debug = process.env.WGNN_DEBUG === '1', } = {}) {
        this.#minWork = minParallelWork;
        this.#debug = debug;
        const { module, variant } = kernelModule(simd);
        this.simd = variant;
        this.#heap = new Heap(Math.min(maxMemoryMiB, 4096) * 2 ** 20);
        const instance = new wasm.Instance(module, { env: { memory: this.#heap.memory } });
        this.exports = instance.exports;
        this.#heap.reserve(this.exports.heapBase());
        this.tileRows = this.exports.tileRows();
        this.threads = Math.max(1, Math.floor(threads));
        const stride = this.exports.scratchBytes();
        const scratch = this.#heap.allocBytes(stride * this.threads);
        this.#params = this.#heap.allocBytes(PARAM_BYTES);
        const names = wasm.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
        this.#pool = new ThreadPool(module, this.#heap.memory, this.exports, names, this.threads, scratch, stride);
        this.description = `wasm: ${variant === 'relaxed' ? 'relaxed-SIMD (FMA)' : 'SIMD'} kernels on ${this.threads} thread${this.threads > 1 ? 's' : ''}`;
        if (debug)
            console.error(`[wgnn wasm] ${this.description}; ${(stride / 2 ** 20).toFixed(1)} MiB scratch a thread`);
    }
    alloc(length) {
        return this.#heap.alloc(length);
    }
    free(storage) {
        this.#heap.free(wasmStorage(storage));
    }
    write(storage, data, offset = 0) {
        const s = wasmStorage(storage);
        if (offset + data.length > s.length)
            throw new Error(`wasm backend: writing ${data.length} values at ${offset} into a tensor of ${s.length}`);
        this.#heap.f32.set(data, s.ptr / 4 + offset);
    }
    async read(storage) {
        return this.view(storage).slice();
    }
    /** A Float32Array over a tensor's memory, valid until the memory next grows. */
    view(storage) {
        const s = wasmStorage(storage);
        return this.#heap.f32.subarray(s.ptr / 4, s.ptr / 4 + s.length);
    }
    run(kernel, inputs, outputs, params) {
        const start = this.#debug ? performance.now() : 0;
        this.#chunks = 0;
        const fast = fastKernels[kernel.name];
        const done = fast && fast(this, inputs.map((s) => wasmStorage(s).ptr), outputs.map((s) => wasmStorage(s).ptr), params, inputs.map((s) => s.length)) !== false;
        if (!done)
            kernel.cpu(inputs.map((s) => this.view(s)), outputs.map((s) => this.view(s)), params);
        if (this.#debug) {
            const how = done ? `wasm, ${this.#chunks} chunk${this.#chunks === 1 ? '' : 's'}` : 'reference loop';
            console.error(`[wgnn wasm] ${kernel.name} (${how}) ${((performance.now() - start) * 1e3).toFixed(0)} µs`);
        }
    }
    accumulate(target, source) {
        this.run(axpyKernel, [source], [target], { alpha: 1 });
    }
    copy(source, target) {
        this.run(affineKernel, [source], [target], { scale: 1, shift: 0 });
    }
    flush() { }
    async sync() { }
    dispose() {
        if (this.#disposed)
            return;
        this.#disposed = true;
        this.#pool.dispose();
        if (this.#debug)
            console.error(`[wgnn wasm] heap: ${(this.#heap.size / 2 ** 20).toFixed(1)} MiB used at most, ${(this.#heap.live / 2 ** 20).toFixed(1)} MiB live at dispose`);
    }
    // Ctx: what the fast kernels use.
    setParams(ints, floats = []) {
        const i32 = this.#heap.i32;
        const f32 = this.#heap.f32;
        const at = this.#params / 4;
        for (let i = 0; i < ints.length; i++)
            i32[at + i] = ints[i];
        for (let i = 0; i < floats.length; i++)
            f32[at + ints.length + i] = floats[i];
        return this.#params;
    }
    parallel(fn, params, units, work, grain = 1, perThread = CHUNKS_PER_THREAD) {
        const blocks = Math.ceil(units / grain);
        const byWork = work <= 0 ? 1 : this.#minWork > 0 ? Math.floor(work / this.#minWork) : Infinity;
        const threads = Math.max(1, Math.min(this.threads, blocks, byWork));
        const chunks = threads === 1 ? 1 : Math.min(blocks, threads * perThread, MAX_CHUNKS);
        const ranges = [];
        for (let i = 0; i < chunks; i++)
            ranges.push(Math.min(units, Math.round((blocks * i) / chunks) * grain), Math.min(units, Math.round((blocks * (i + 1)) / chunks) * grain));
        this.#chunks += chunks;
        this.#pool.run(fn, params, ranges);
    }
    workspace(slot, bytes) {
        const have = this.#workspaces.get(slot);
        if (have && have.bytes >= bytes)
            return have.ptr;
        if (have)
            this.#heap.freeBytes(have.ptr, have.bytes);
        const ptr = this.#heap.allocBytes(bytes);
        this.#workspaces.set(slot, { ptr, bytes });
        return ptr;
    }
}
