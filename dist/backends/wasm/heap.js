import { wasm } from "./module.js";
const PAGE = 65536;
const ALIGN = 64;
/** Bytes below this are never handed out, so a 0 pointer can mean "no tensor" to the kernels. */
const RESERVED = 4096;
export class WasmStorage {
    ptr;
    length;
    bytes;
    freed = false;
    constructor(
    /** byte offset into the memory */
    ptr, length, 
    /** the size class the block came from */
    bytes) {
        this.ptr = ptr;
        this.length = length;
        this.bytes = bytes;
    }
}
/** The size class holding `bytes`: 4 steps per power of two, multiples of 64 bytes. */
export function sizeClass(bytes) {
    if (bytes <= 4 * ALIGN)
        return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
    return Math.ceil(bytes / step) * step;
}
export class Heap {
    memory;
    #top = RESERVED;
    #started = false;
    #free = new Map();
    #f32;
    #i32;
    /** bytes handed out and not freed, for the debug report */
    live = 0;
    constructor(maxBytes) {
        this.memory = new wasm.Memory({ initial: 16, maximum: Math.floor(maxBytes / PAGE), shared: true });
        this.#f32 = new Float32Array(this.memory.buffer);
        this.#i32 = new Int32Array(this.memory.buffer);
    }
    /** Keeps [0, bytes) for the kernels' constant data; only before the first allocation. */
    reserve(bytes) {
        if (this.#started)
            throw new Error('wasm backend: reserve() after the first allocation');
        this.#top = Math.max(RESERVED, Math.ceil(bytes / ALIGN) * ALIGN);
    }
    /** A float view of the whole memory, current after any growth. */
    get f32() {
        if (this.#f32.length * 4 !== this.memory.buffer.byteLength)
            this.#refresh();
        return this.#f32;
    }
    get i32() {
        if (this.#i32.length * 4 !== this.memory.buffer.byteLength)
            this.#refresh();
        return this.#i32;
    }
    #refresh() {
        this.#f32 = new Float32Array(this.memory.buffer);
        this.#i32 = new Int32Array(this.memory.buffer);
    }
    /** A raw block of at least `bytes`, 64-byte aligned. */
    allocBytes(bytes) {
        const size = sizeClass(Math.max(bytes, 1));
        const list = this.#free.get(size);
        this.#started = true;
        this.live += size;
        if (list && list.length)
            return list.pop();
        const ptr = this.#top;
        const end = ptr + size;
        const have = this.memory.buffer.byteLength;
        if (end > have) {
            try {
                this.memory.grow(Math.ceil((end - have) / PAGE));
            }
            catch {
                throw new Error(`wasm backend: out of memory: cannot grow the heap to ${(end / 2 ** 20).toFixed(0)} MiB`);
            }
        }
        this.#top = end;
        return ptr;
    }
    freeBytes(ptr, bytes) {
        const size = sizeClass(Math.max(bytes, 1));
        let list = this.#free.get(size);
        if (!list)
            this.#free.set(size, (list = []));
        list.push(ptr);
        this.live -= size;
    }
    alloc(length) {
        const bytes = Math.max(length * 4, 1);
        return new WasmStorage(this.allocBytes(bytes), length, bytes);
    }
    free(s) {
        if (s.freed)
            throw new Error('wasm backend: storage freed twice');
        s.freed = true;
        this.freeBytes(s.ptr, s.bytes);
    }
    /** Bytes of memory in use by the allocator (high-water mark). */
    get size() {
        return this.#top;
    }
}
