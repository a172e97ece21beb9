/**
 * The part of the WebAssembly JS API used here, typed locally: the project's `lib` (ES2023,
 * no DOM) does not declare the global, and a second global declaration would clash with one
 * that a future lib or @types/node adds.
 */
export interface WasmMemory {
    readonly buffer: SharedArrayBuffer;
    grow(pages: number): number;
}
export interface WasmModule {
    readonly __brand: 'WebAssembly.Module';
}
interface WasmApi {
    validate(bytes: Uint8Array): boolean;
    Memory: new (d: {
        initial: number;
        maximum: number;
        shared: true;
    }) => WasmMemory;
    Module: {
        new (bytes: Uint8Array): WasmModule;
        exports(m: WasmModule): Array<{
            name: string;
            kind: string;
        }>;
    };
    Instance: new (m: WasmModule, imports: {
        env: {
            memory: WasmMemory;
        };
    }) => {
        exports: Record<string, unknown>;
    };
}
export declare const wasm: WasmApi;
export type SimdVariant = 'relaxed' | 'simd';
/** The kernels module: `prefer` 'relaxed' falls back to plain SIMD where relaxed SIMD is missing. */
export declare function kernelModule(prefer: SimdVariant): {
    module: WasmModule;
    variant: SimdVariant;
};
export {};
