/**
 * The one interface between tensors and devices. `src/tensor` and `src/layers` see only this;
 * a GPUBuffer or a WASM heap offset never leaks past a backend.
 */
import type { Kernel } from '../kernels/kernel.ts';
import type { DType, HostArray, Storage } from './storage.ts';

export type { DType, HostArray, Storage } from './storage.ts';

/**
 * The device behind a backend went away (a driver reset, a GPU taken by another process): the
 * work queued on it is lost, and so is every tensor on it. Training stops with it rather than
 * going on with wrong numbers; the last checkpoint on disk is what survives.
 */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
}

export interface Backend {
  /** 'reference', 'wasm' or 'webgpu'. */
  readonly name: string;
  /** float64 exists only on the reference CPU backend, for gradient checks. */
  readonly dtype: DType;
  /** Says which device runs the work, for the user ("reference: plain loops (float64)", "webgpu: <adapter>"). */
  readonly description: string;
  alloc(length: number): Storage;
  free(storage: Storage): void;
  write(storage: Storage, data: ArrayLike<number>, offset?: number): void;
  read(storage: Storage): Promise<HostArray>;
  /** Queues a kernel; outputs are written (and may be read first: in-place kernels list them there). */
  run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void;
  /**
   * target += source, elementwise over equal lengths: autograd's gradient accumulation, which so
   * needs only this interface and no kernel file.
   */
  accumulate(target: Storage, source: Storage): void;
  /** target = source, over equal lengths: a gradient handed to two inputs gets its own copy. */
  copy(source: Storage, target: Storage): void;
  /** Submits what was queued without waiting for it. */
  flush(): void;
  /** Resolves when every queued kernel has finished. */
  sync(): Promise<void>;
  dispose(): void;
}
