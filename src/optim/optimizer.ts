/**
 * Optimizers: per-parameter state plus in-place device kernels (src/kernels/optimizers.ts). The
 * states of all parameters live in one packed buffer, so that one dispatch updates up to seven
 * parameters. The learning rate is a plain field, free to change between steps.
 */
import { adamKernel, momentumKernel, sgdKernel, slotStride, updateGroupKernel, type UpdateRule } from '../kernels/optimizers.ts';
import type { Kernel } from '../kernels/kernel.ts';
import { keep } from '../tensor/context.ts';
import { launchInPlace, Tensor } from '../tensor/tensor.ts';

export const optimizerNames = ['sgd', 'momentum', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

export interface OptimizerOptions {
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** Keras's defaults, per optimizer. */
export const defaultLr: Record<OptimizerName, number> = { sgd: 0.01, momentum: 0.01, adam: 1e-3, adamw: 1e-3 };

/** Parameters whose slots pass this many floats keep their own state tensors (and their own, chunked, update kernels). */
const packedSlotLimit = 1 << 22;
/** Floats of one packed state buffer (128 MiB, WebGPU's least binding limit): more parameters start another. */
const packLimit = 1 << 25;

/** Parameter slots in one state buffer: slot s of a parameter at offset + s · slotStride(size). */
interface Pack {
  readonly state: Tensor;
  readonly entries: Map<string, { offset: number; shape: readonly number[]; size: number }>;
}

const singleKernels = { sgd: sgdKernel, momentum: momentumKernel, adam: adamKernel } as const;

export interface Trainable {
  readonly fullName: string;
  readonly tensor: Tensor;
}

export class Optimizer {
  lr: number;
  /** steps taken: Adam's bias correction counts from 1 */
  steps = 0;
  /** Packed state buffers, and the pack of each parameter that has one. */
  readonly #packs: Pack[] = [];
  readonly #packOf = new Map<string, Pack>();
  /** The state tensors of parameters too large to pack. */
  readonly #own = new Map<string, Tensor[]>();
  readonly options: Required<OptimizerOptions>;

  constructor(readonly name: OptimizerName, options: OptimizerOptions = {}) {
    if (!optimizerNames.includes(name)) throw new Error(`unknown optimizer "${name}": expected one of ${optimizerNames.join(', ')}`);
    this.options = {
      lr: options.lr ?? defaultLr[name],
      momentum: options.momentum ?? 0.9,
      nesterov: options.nesterov ?? false,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      eps: options.eps ?? 1e-7,
      weightDecay: options.weightDecay ?? (name === 'adamw' ? 0.004 : 0),
    };
    this.lr = this.options.lr;
  }

  /** How many state tensors each parameter carries. */
  get slotCount(): number {
    return this.name === 'sgd' ? 0 : this.name === 'momentum' ? 1 : 2;
  }

  /** Gives every parameter not seen before its zeroed state: a slot in a new pack, or tensors of its own. */
  #ensureState(params: readonly Trainable[]): void {
    const fresh = params.filter((p) => !this.#packOf.has(p.fullName) && !this.#own.has(p.fullName));
    let batch: Trainable[] = [];
    let floats = 0;
    const flush = () => {
      if (batch.length === 0) return;
      const entries: Pack['entries'] = new Map();
      let end = 0;
      for (const p of batch) {
        entries.set(p.fullName, { offset: end, shape: [...p.tensor.shape], size: p.tensor.size });
        end += this.slotCount * slotStride(p.tensor.size);
      }
      const pack: Pack = { state: keep(Tensor.from(new Float32Array(Math.max(end, 1)), [Math.max(end, 1)], batch[0].tensor.backend)), entries };
      this.#packs.push(pack);
      for (const p of batch) this.#packOf.set(p.fullName, pack);
      batch = [];
      floats = 0;
    };
    for (const p of fresh) {
      const n = p.tensor.size;
      if (n > packedSlotLimit) {
        this.#own.set(p.fullName, Array.from({ length: this.slotCount }, () => keep(Tensor.from(new Float32Array(n), p.tensor.shape, p.tensor.backend))));
        continue;
      }
      const need = this.slotCount * slotStride(n);
      if (floats + need > packLimit || (batch.length > 0 && batch[0].tensor.backend !== p.tensor.backend)) flush();
      batch.push(p);
      floats += need;
    }
    flush();
  }

  /** Applies every parameter's gradient, then drops the gradients: up to seven parameters a kernel launch. */
  step(params: readonly Trainable[]): void {
    this.steps++;
    const o = this.options;
    const rule: UpdateRule =
      this.name === 'sgd' ? { kind: 'sgd', lr: this.lr, weightDecay: o.weightDecay }
      : this.name === 'momentum' ? { kind: 'momentum', lr: this.lr, weightDecay: o.weightDecay, momentum: o.momentum, nesterov: o.nesterov }
      : { kind: 'adam', lr: this.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, step: this.steps, weightDecay: o.weightDecay, decoupled: this.name === 'adamw' };
    const live = params.filter((p) => p.tensor.grad);
    this.#ensureState(live);
    for (const pack of this.#packs) {
      const members = live.filter((p) => this.#packOf.get(p.fullName) === pack).sort((a, b) => pack.entries.get(a.fullName)!.offset - pack.entries.get(b.fullName)!.offset);
      if (members.length === 0) continue;
      const offsets = members.map((p) => pack.entries.get(p.fullName)!.offset);
      launchInPlace(updateGroupKernel, members.map((p) => p.tensor.grad!), [...members.map((p) => p.tensor), pack.state], { rule, offsets });
    }
    for (const p of live) {
      const own = this.#own.get(p.fullName);
      if (own) launchInPlace(singleKernels[rule.kind] as Kernel<UpdateRule>, [p.tensor.grad!], [p.tensor, ...own], rule);
    }
    for (const p of live) {
      p.tensor.grad!.dispose();
      p.tensor.grad = null;
    }
  }

  /** State for checkpoints: slot tensors by "<param>.<slot>". */
  async stateDict(): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const pack of this.#packs) {
      const data = await pack.state.read();
      for (const [name, e] of pack.entries) {
        for (let s = 0; s < this.slotCount; s++) {
          const at = e.offset + s * slotStride(e.size);
          out[`${name}.${s}`] = { shape: [...e.shape], data: Float32Array.from(data.subarray(at, at + e.size)) };
        }
      }
    }
    for (const [name, slots] of this.#own) {
      for (let i = 0; i < slots.length; i++) out[`${name}.${i}`] = { shape: [...slots[i].shape], data: Float32Array.from(await slots[i].read()) };
    }
    return out;
  }

  loadStateDict(params: readonly Trainable[], state: Record<string, { data: ArrayLike<number> }>, steps: number): void {
    this.steps = steps;
    this.#ensureState(params);
    for (const p of params) {
      for (let s = 0; s < this.slotCount; s++) {
        const saved = state[`${p.fullName}.${s}`];
        if (!saved || saved.data.length !== p.tensor.size) throw new Error(`optimizer state for "${p.fullName}" (slot ${s}) is missing or has the wrong size`);
        const pack = this.#packOf.get(p.fullName);
        if (pack) pack.state.backend.write(pack.state.storage, saved.data, pack.entries.get(p.fullName)!.offset + s * slotStride(p.tensor.size));
        else {
          const t = this.#own.get(p.fullName)![s];
          t.backend.write(t.storage, saved.data);
        }
      }
    }
  }

  dispose(): void {
    for (const pack of this.#packs) pack.state.dispose();
    for (const slots of this.#own.values()) for (const t of slots) t.dispose();
    this.#packs.length = 0;
    this.#packOf.clear();
    this.#own.clear();
  }
}
