import type { HostArray } from '../tensor/storage.ts';
import type { GpuKernel } from './gpu.ts';
/**
 * A primitive device computation. `cpu` is the reference: plain loops, written to be obviously
 * right, generic over float32/float64 so gradient checks can run it in double precision. Every
 * other implementation (WASM, WGSL) is tested against it.
 */
export interface Kernel<P> {
    readonly name: string;
    cpu(inputs: readonly HostArray[], outputs: readonly HostArray[], params: P): void;
    /** The WGSL implementation: required, so a kernel without one does not compile. */
    gpu: GpuKernel<P>;
}
