/**
 * The backend's one shared `WebAssembly.Memory` and a size-bucketed allocator over it: blocks
 * are 64-byte aligned, rounded up to one of four sizes per power of two, and go back to a free
 * list of their size. Nothing coalesces; training reuses the same few sizes every step.
 */
import type { Storage } from '../../tensor/backend.ts';
import { wasm, type WasmMemory } from './module.ts';

const PAGE = 65536;
const ALIGN = 64;
/** Bytes below this are never handed out, so a 0 pointer can mean "no tensor" to the kernels. */
const RESERVED = 4096;
/** Bytes the memory always extends past the last block: vector kernels may read (and discard) a few lanes past a tensor's end. */
const GUARD = 64;

export class WasmStorage implements Storage {
  freed = false;
  constructor(
    /** byte offset into the memory */
    readonly ptr: number,
    readonly length: number,
    /** the size class the block came from */
    readonly bytes: number,
  ) {}
}

/** The size class holding `bytes`: 4 steps per power of two, multiples of 64 bytes. */
export function sizeClass(bytes: number): number {
  if (bytes <= 4 * ALIGN) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}

export class Heap {
  readonly memory: WasmMemory;
  #top = RESERVED;
  #started = false;
  #free = new Map<number, number[]>();
  #f32: Float32Array;
  #i32: Int32Array;
  #view: DataView;
  /** bytes handed out and not freed, for the debug report */
  live = 0;

  constructor(maxBytes: number) {
    this.memory = new wasm.Memory({ initial: 16, maximum: Math.floor(maxBytes / PAGE), shared: true });
    this.#f32 = new Float32Array(this.memory.buffer);
    this.#i32 = new Int32Array(this.memory.buffer);
    this.#view = new DataView(this.memory.buffer);
  }

  /** Keeps [0, bytes) for the kernels' constant data; only before the first allocation. */
  reserve(bytes: number): void {
    if (this.#started) throw new Error('wasm backend: reserve() after the first allocation');
    this.#top = Math.max(RESERVED, Math.ceil(bytes / ALIGN) * ALIGN);
  }

  /** A float view of the whole memory, current after any growth. */
  get f32(): Float32Array {
    if (this.#f32.length * 4 !== this.memory.buffer.byteLength) this.#refresh();
    return this.#f32;
  }

  get i32(): Int32Array {
    if (this.#i32.length * 4 !== this.memory.buffer.byteLength) this.#refresh();
    return this.#i32;
  }

  /** A DataView of the whole memory (parameter blocks are packed through it). */
  get view(): DataView {
    if (this.#view.byteLength !== this.memory.buffer.byteLength) this.#refresh();
    return this.#view;
  }

  #refresh(): void {
    this.#f32 = new Float32Array(this.memory.buffer);
    this.#i32 = new Int32Array(this.memory.buffer);
    this.#view = new DataView(this.memory.buffer);
  }

  /** A raw block of at least `bytes`, 64-byte aligned. */
  allocBytes(bytes: number): number {
    const size = sizeClass(Math.max(bytes, 1));
    const list = this.#free.get(size);
    this.#started = true;
    this.live += size;
    if (list && list.length) return list.pop()!;
    const ptr = this.#top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end + GUARD > have) {
      try {
        this.memory.grow(Math.ceil((end + GUARD - have) / PAGE));
      } catch {
        throw new Error(`wasm backend: out of memory: cannot grow the heap to ${(end / 2 ** 20).toFixed(0)} MiB`);
      }
    }
    this.#top = end;
    return ptr;
  }

  freeBytes(ptr: number, bytes: number): void {
    const size = sizeClass(Math.max(bytes, 1));
    let list = this.#free.get(size);
    if (!list) this.#free.set(size, (list = []));
    list.push(ptr);
    this.live -= size;
  }

  alloc(length: number): WasmStorage {
    const bytes = Math.max(length * 4, 1);
    return new WasmStorage(this.allocBytes(bytes), length, bytes);
  }

  free(s: WasmStorage): void {
    if (s.freed) throw new Error('wasm backend: storage freed twice');
    s.freed = true;
    this.freeBytes(s.ptr, s.bytes);
  }

  /** Bytes of memory in use by the allocator (high-water mark). */
  get size(): number {
    return this.#top;
  }
}
