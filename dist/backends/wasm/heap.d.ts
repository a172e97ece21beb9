/**
 * The backend's one shared `WebAssembly.Memory` and a size-bucketed allocator over it: blocks
 * are 64-byte aligned, rounded up to one of four sizes per power of two, and go back to a free
 * list of their size. Nothing coalesces; training reuses the same few sizes every step.
 */
import type { Storage } from '../../tensor/backend.ts';
import { type WasmMemory } from './module.ts';
export declare class WasmStorage implements Storage {
    /** byte offset into the memory */
    readonly ptr: number;
    readonly length: number;
    /** the size class the block came from */
    readonly bytes: number;
    freed: boolean;
    constructor(
    /** byte offset into the memory */
    ptr: number, length: number, 
    /** the size class the block came from */
    bytes: number);
}
/** The size class holding `bytes`: 4 steps per power of two, multiples of 64 bytes. */
export declare function sizeClass(bytes: number): number;
export declare class Heap {
    #private;
    readonly memory: WasmMemory;
    /** bytes handed out and not freed, for the debug report */
    live: number;
    constructor(maxBytes: number);
    /** Keeps [0, bytes) for the kernels' constant data; only before the first allocation. */
    reserve(bytes: number): void;
    /** A float view of the whole memory, current after any growth. */
    get f32(): Float32Array;
    get i32(): Int32Array;
    /** A raw block of at least `bytes`, 64-byte aligned. */
    allocBytes(bytes: number): number;
    freeBytes(ptr: number, bytes: number): void;
    alloc(length: number): WasmStorage;
    free(s: WasmStorage): void;
    /** Bytes of memory in use by the allocator (high-water mark). */
    get size(): number;
}
