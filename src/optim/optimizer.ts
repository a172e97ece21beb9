/**
 * Optimizers: per-parameter state plus one in-place device kernel per parameter and step
 * (src/kernels/optimizers.ts). The learning rate is a plain field, free to change between steps.
 */
import { updateGroupKernel, updateGroupSize, type UpdateRule } from '../kernels/optimizers.ts';
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

export interface Trainable {
  readonly fullName: string;
  readonly tensor: Tensor;
}

export class Optimizer {
  lr: number;
  /** steps taken: Adam's bias correction counts from 1 */
  steps = 0;
  readonly slots = new Map<string, Tensor[]>();
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

  private slotsFor(p: Trainable): Tensor[] {
    let s = this.slots.get(p.fullName);
    if (!s) {
      s = Array.from({ length: this.slotCount }, () => keep(Tensor.from(new Float32Array(p.tensor.size), p.tensor.shape, p.tensor.backend)));
      this.slots.set(p.fullName, s);
    }
    return s;
  }

  /** Applies every parameter's gradient, then drops the gradients: four parameters a kernel launch. */
  step(params: readonly Trainable[]): void {
    this.steps++;
    const o = this.options;
    const rule: UpdateRule =
      this.name === 'sgd' ? { kind: 'sgd', lr: this.lr, weightDecay: o.weightDecay }
      : this.name === 'momentum' ? { kind: 'momentum', lr: this.lr, weightDecay: o.weightDecay, momentum: o.momentum, nesterov: o.nesterov }
      : { kind: 'adam', lr: this.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, step: this.steps, weightDecay: o.weightDecay, decoupled: this.name === 'adamw' };
    const live = params.filter((p) => p.tensor.grad);
    for (let i = 0; i < live.length; i += updateGroupSize) {
      const group = live.slice(i, i + updateGroupSize);
      launchInPlace(updateGroupKernel, group.map((p) => p.tensor.grad!), group.flatMap((p) => [p.tensor, ...this.slotsFor(p)]), { rule });
    }
    for (const p of live) {
      p.tensor.grad!.dispose();
      p.tensor.grad = null;
    }
  }

  /** State for checkpoints: slot tensors by "<param>.<slot>". */
  async stateDict(): Promise<Record<string, { shape: number[]; data: Float32Array }>> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [name, slots] of this.slots) {
      for (let i = 0; i < slots.length; i++) out[`${name}.${i}`] = { shape: [...slots[i].shape], data: Float32Array.from(await slots[i].read()) };
    }
    return out;
  }

  loadStateDict(params: readonly Trainable[], state: Record<string, { data: ArrayLike<number> }>, steps: number): void {
    this.steps = steps;
    for (const p of params) {
      const slots = this.slotsFor(p);
      slots.forEach((t, i) => {
        const saved = state[`${p.fullName}.${i}`];
        if (!saved || saved.data.length !== t.size) throw new Error(`optimizer state for "${p.fullName}" (slot ${i}) is missing or has the wrong size`);
        t.backend.write(t.storage, saved.data);
      });
    }
  }

  dispose(): void {
    for (const slots of this.slots.values()) for (const t of slots) t.dispose();
    this.slots.clear();
  }
}
