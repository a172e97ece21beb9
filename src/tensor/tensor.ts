import type { Backend, HostArray, Storage } from './backend.ts';
import type { Kernel } from '../kernels/kernel.ts';
import { currentBackend, track } from './context.ts';

export type Shape = readonly number[];

/** Gradient rule of one recorded op: given the output's gradient, the inputs' gradients. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(grad: Tensor): readonly (Tensor | null)[];
}

/** Device memory shared by a tensor and its reshaped views; freed when the last one is disposed. */
class Buffer {
  refs = 1;
  constructor(readonly backend: Backend, readonly storage: Storage) {}
  retain(): void {
    this.refs++;
  }
  release(): void {
    if (--this.refs === 0) this.backend.free(this.storage);
  }
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

let nextId = 0;

export class Tensor {
  readonly id = nextId++;
  readonly size: number;
  grad: Tensor | null = null;
  node: GradNode | null = null;
  #buffer: Buffer | null;

  private constructor(
    readonly shape: Shape,
    buffer: Buffer,
    public requiresGrad = false,
  ) {
    this.size = sizeOf(shape);
    this.#buffer = buffer;
    track(this);
  }

  static empty(shape: Shape, backend: Backend = currentBackend()): Tensor {
    for (const d of shape) {
      if (!Number.isInteger(d) || d <= 0) throw new Error(`invalid tensor shape [${shape.join(', ')}]`);
    }
    return new Tensor([...shape], new Buffer(backend, backend.alloc(sizeOf(shape))));
  }

  static from(data: ArrayLike<number>, shape: Shape, backend: Backend = currentBackend()): Tensor {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`${data.length} values cannot fill a tensor of shape [${shape.join(', ')}]`);
    }
    const t = Tensor.empty(shape, backend);
    backend.write(t.storage, data);
    return t;
  }

  static scalar(value: number, backend: Backend = currentBackend()): Tensor {
    return Tensor.from([value], [1], backend);
  }

  get backend(): Backend {
    return this.live().backend;
  }

  get storage(): Storage {
    return this.live().storage;
  }

  get disposed(): boolean {
    return this.#buffer === null;
  }

  /** A tensor of another shape over the same memory; no copy. */
  view(shape: Shape): Tensor {
    if (sizeOf(shape) !== this.size) {
      throw new Error(`cannot view [${this.shape.join(', ')}] as [${shape.join(', ')}]`);
    }
    const buffer = this.live();
    buffer.retain();
    return new Tensor([...shape], buffer);
  }

  async read(): Promise<HostArray> {
    return this.backend.read(this.storage);
  }

  async item(): Promise<number> {
    return (await this.read())[0];
  }

  dispose(): void {
    if (this.#buffer) {
      this.#buffer.release();
      this.#buffer = null;
    }
    this.node = null;
  }

  private live(): Buffer {
    if (!this.#buffer) throw new Error(`tensor #${this.id} [${this.shape.join(', ')}] was already disposed`);
    return this.#buffer;
  }
}

/**
 * Runs a kernel on tensors: allocates the outputs on the inputs' backend and queues the work.
 * Every op goes through here, so one place checks that its tensors share a backend.
 */
export function launch<P>(kernel: Kernel<P>, inputs: readonly Tensor[], outShapes: readonly Shape[], params: P): Tensor[] {
  const backend = inputs.length ? inputs[0].backend : currentBackend();
  for (const t of inputs) {
    if (t.backend !== backend) throw new Error(`${kernel.name}: inputs live on different backends`);
  }
  const outputs = outShapes.map((s) => Tensor.empty(s, backend));
  backend.run(kernel, inputs.map((t) => t.storage), outputs.map((t) => t.storage), params);
  return outputs;
}

/** Runs a kernel that updates `targets` in place (optimizer steps, running statistics, accumulators). */
export function launchInPlace<P>(kernel: Kernel<P>, inputs: readonly Tensor[], targets: readonly Tensor[], params: P): void {
  const backend = targets[0].backend;
  for (const t of [...inputs, ...targets]) {
    if (t.backend !== backend) throw new Error(`${kernel.name}: tensors live on different backends`);
  }
  backend.run(kernel, inputs.map((t) => t.storage), targets.map((t) => t.storage), params);
}
