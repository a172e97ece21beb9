import type { Backend, DType, HostArray, Storage } from '../tensor/backend.ts';
import type { Kernel } from '../kernels/kernel.ts';
import { affineKernel, axpyKernel } from '../kernels/elementwise.ts';

/** Host memory: the storage is the typed array itself. */
class HostStorage implements Storage {
  constructor(readonly data: HostArray) {}
  get length(): number {
    return this.data.length;
  }
}

function host(s: Storage): HostArray {
  if (!(s instanceof HostStorage)) throw new Error('reference backend: storage belongs to another backend');
  return s.data;
}

/**
 * The reference backend: every kernel's plain-loop `cpu` implementation, synchronously. In
 * float64 it is the oracle of the gradient checks.
 */
export class ReferenceBackend implements Backend {
  readonly name = 'reference';
  readonly description: string;

  constructor(readonly dtype: DType = 'float32') {
    this.description = `reference: plain loops (${dtype})`;
  }

  alloc(length: number): Storage {
    return new HostStorage(this.dtype === 'float64' ? new Float64Array(length) : new Float32Array(length));
  }

  free(): void {}

  write(storage: Storage, data: ArrayLike<number>, offset = 0): void {
    host(storage).set(data, offset);
  }

  async read(storage: Storage): Promise<HostArray> {
    return host(storage).slice();
  }

  run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void {
    kernel.cpu(inputs.map(host), outputs.map(host), params);
  }

  accumulate(target: Storage, source: Storage): void {
    this.run(axpyKernel, [source], [target], { alpha: 1 });
  }

  copy(source: Storage, target: Storage): void {
    this.run(affineKernel, [source], [target], { scale: 1, shift: 0 });
  }

  flush(): void {}

  async sync(): Promise<void> {}

  dispose(): void {}
}
