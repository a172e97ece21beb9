/**
 * The L2 penalty of a model, as Keras adds it to the loss: Σ over kernels of λ·Σw², where λ is
 * the kernel's own (a layer's kernel_regularizer) or else the run-wide one. Training,
 * validation and test losses all include it, so that the three are comparable.
 */
import { add } from '../kernels/elementwise.ts';
import { l2Penalty } from '../kernels/penalty.ts';
import type { Parameter } from '../layers/layer.ts';
import type { Sequential } from '../layers/sequential.ts';
import { noGrad, scope } from '../tensor/context.ts';
import type { Tensor } from '../tensor/tensor.ts';

/** The regularized kernels grouped by their λ (zero λs dropped). */
function groups(params: readonly Parameter[], l2: number): Map<number, Tensor[]> {
  const byLambda = new Map<number, Tensor[]>();
  for (const p of params) {
    if (!p.trainable || !p.regularized) continue;
    const lambda = p.l2 ?? l2;
    if (!(lambda > 0)) continue;
    const list = byLambda.get(lambda) ?? [];
    list.push(p.tensor);
    byLambda.set(lambda, list);
  }
  return byLambda;
}

/** Whether the model pays any L2 penalty with run-wide λ `l2`. */
export function hasPenalty(model: Sequential, l2 = 0): boolean {
  return groups(model.parameters(), l2).size > 0;
}

/** The penalty as a differentiable scalar, or null when no kernel is regularized. */
export function penaltyLoss(model: Sequential, l2 = 0): Tensor | null {
  let total: Tensor | null = null;
  for (const [lambda, weights] of groups(model.parameters(), l2)) {
    const p = l2Penalty(weights, lambda);
    total = total ? add(total, p) : p;
  }
  return total;
}

/** The penalty's value now (0 when there is none). */
export async function penaltyValue(model: Sequential, l2 = 0): Promise<number> {
  if (!hasPenalty(model, l2)) return 0;
  const p = noGrad(() => scope(() => penaltyLoss(model, l2)!));
  const v = await p.item();
  p.dispose();
  return v;
}
