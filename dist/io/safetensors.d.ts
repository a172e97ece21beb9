import type { HostTensor } from '../tensor/storage.ts';
/** A model file that cannot be written or read; the message names the file, the tensor and the field. */
export declare class ModelFileError extends Error {
    readonly file: string;
    readonly tensor?: string | undefined;
    readonly field?: string | undefined;
    constructor(file: string, detail: string, tensor?: string | undefined, field?: string | undefined);
}
export type NamedTensor = HostTensor;
export interface Safetensors {
    tensors: Record<string, NamedTensor>;
    metadata: Record<string, string>;
}
/** Writes float32 tensors (and optional string metadata) atomically, in the order given. */
export declare function saveSafetensors(path: string, tensors: Record<string, NamedTensor>, metadata?: Record<string, string>): void;
/** Reads a safetensors file, checking everything the spec demands before trusting any offset. */
export declare function loadSafetensors(path: string): Safetensors;
