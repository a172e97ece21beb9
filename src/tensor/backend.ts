/**
 * The one interface between tensors and devices. `src/tensor` and `src/layers` see only this;
 * a GPUBuffer or a WASM heap offset never leaks past a backend.
 */
import type { Kernel } from '../kernels/kernel.ts';

export type DType = 'float32' | 'float64';
export type HostArray = Float32Array | Float64Array;

/** An opaque handle to `length` elements of device memory. */
export interface Storage {
  readonly length: number;
}

export interface Backend {
  /** 'cpu', 'wasm' or 'webgpu'. */
  readonly name: string;
  /** float64 exists only on the reference CPU backend, for gradient checks. */
  readonly dtype: DType;
  /** Says which device runs the work, for the user ("cpu: reference kernels", "webgpu: <adapter>"). */
  readonly description: string;
  alloc(length: number): Storage;
  free(storage: Storage): void;
  write(storage: Storage, data: ArrayLike<number>, offset?: number): void;
  read(storage: Storage): Promise<HostArray>;
  /** Queues a kernel; outputs are written (and may be read first: in-place kernels list them there). */
  run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void;
  /** Submits what was queued without waiting for it. */
  flush(): void;
  /** Resolves when every queued kernel has finished. */
  sync(): Promise<void>;
  dispose(): void;
}
