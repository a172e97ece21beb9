/**
 * The vocabulary of device memory, shared by the backend interface and the kernel contract
 * (`src/kernels/kernel.ts`). It imports nothing, so kernels can name it without importing the
 * backend interface that in turn names them.
 */
export type DType = 'float32' | 'float64';
export type HostArray = Float32Array | Float64Array;

/** An opaque handle to `length` elements of device memory. */
export interface Storage {
  readonly length: number;
}

/** A tensor's float32 values on the host: what a safetensors file or a checkpoint holds. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}
