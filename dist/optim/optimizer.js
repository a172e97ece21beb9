/**
 * Optimizers: per-parameter state plus one in-place device kernel per parameter and step
 * (src/kernels/optimizers.ts). The learning rate is a plain field, free to change between steps.
 */
import { adamKernel, momentumKernel, sgdKernel } from "../kernels/optimizers.js";
import { keep } from "../tensor/context.js";
import { launchInPlace, Tensor } from "../tensor/tensor.js";
export const optimizerNames = ['sgd', 'momentum', 'adam', 'adamw'];
/** Keras's defaults, per optimizer. */
export const defaultLr = { sgd: 0.01, momentum: 0.01, adam: 1e-3, adamw: 1e-3 };
export class Optimizer {
    name;
    lr;
    /** steps taken: Adam's bias correction counts from 1 */
    steps = 0;
    slots = new Map();
    options;
    constructor(name, options = {}) {
        this.name = name;
        if (!optimizerNames.includes(name))
            throw new Error(`unknown optimizer "${name}": expected one of ${optimizerNames.join(', ')}`);
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
    get slotCount() {
        return this.name === 'sgd' ? 0 : this.name === 'momentum' ? 1 : 2;
    }
    slotsFor(p) {
        let s = this.slots.get(p.fullName);
        if (!s) {
            s = Array.from({ length: this.slotCount }, () => keep(Tensor.from(new Float32Array(p.tensor.size), p.tensor.shape, p.tensor.backend)));
            this.slots.set(p.fullName, s);
        }
        return s;
    }
    /** Applies every parameter's gradient, then drops the gradients. */
    step(params) {
        this.steps++;
        const o = this.options;
        for (const p of params) {
            const g = p.tensor.grad;
            if (!g)
                continue;
            const slots = this.slotsFor(p);
            switch (this.name) {
                case 'sgd':
                    launchInPlace(sgdKernel, [g], [p.tensor], { lr: this.lr, weightDecay: o.weightDecay });
                    break;
                case 'momentum':
                    launchInPlace(momentumKernel, [g], [p.tensor, ...slots], { lr: this.lr, weightDecay: o.weightDecay, momentum: o.momentum, nesterov: o.nesterov });
                    break;
                case 'adam':
                case 'adamw':
                    launchInPlace(adamKernel, [g], [p.tensor, ...slots], {
                        lr: this.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, step: this.steps, weightDecay: o.weightDecay, decoupled: this.name === 'adamw',
                    });
                    break;
            }
            g.dispose();
            p.tensor.grad = null;
        }
    }
    /** State for checkpoints: slot tensors by "<param>.<slot>". */
    async stateDict() {
        const out = {};
        for (const [name, slots] of this.slots) {
            for (let i = 0; i < slots.length; i++)
                out[`${name}.${i}`] = { shape: [...slots[i].shape], data: Float32Array.from(await slots[i].read()) };
        }
        return out;
    }
    loadStateDict(params, state, steps) {
        this.steps = steps;
        for (const p of params) {
            const slots = this.slotsFor(p);
            slots.forEach((t, i) => {
                const saved = state[`${p.fullName}.${i}`];
                if (!saved || saved.data.length !== t.size)
                    throw new Error(`optimizer state for "${p.fullName}" (slot ${i}) is missing or has the wrong size`);
                t.backend.write(t.storage, saved.data);
            });
        }
    }
    dispose() {
        for (const slots of this.slots.values())
            for (const t of slots)
                t.dispose();
        this.slots.clear();
    }
}
