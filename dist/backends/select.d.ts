/**
 * Chooses the device for a whole run, and says which and why. No per-op fallback: a run is
 * entirely on one backend.
 */
import type { Backend } from '../tensor/backend.ts';
/**
 * `wasm`: WebAssembly SIMD kernels on all cores; `webgpu`: the WGSL kernels; `reference`: the
 * plain loops the others are tested against. `cpu` is another name for `wasm`.
 */
export declare const backendNames: readonly ["auto", "wasm", "webgpu", "reference", "cpu"];
export type BackendName = (typeof backendNames)[number];
export interface Selected {
    backend: Backend;
    /** one line for the user: what runs and, for auto, why */
    reason: string;
}
export declare function selectBackend(name: BackendName): Promise<Selected>;
