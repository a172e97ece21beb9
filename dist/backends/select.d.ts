/**
 * Chooses the device for a whole run, and says which and why. No per-op fallback: a run is
 * entirely on one backend.
 */
import type { Backend } from '../tensor/backend.ts';
export declare const backendNames: readonly ["auto", "cpu", "webgpu", "reference"];
export type BackendName = (typeof backendNames)[number];
export interface Selected {
    backend: Backend;
    /** one line for the user: what runs and, for auto, why */
    reason: string;
}
export declare function selectBackend(name: BackendName): Promise<Selected>;
