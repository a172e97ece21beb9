/** Keras's L2 regularizer: λ Σ w², added to the reported loss. A composition: its gradient is free. */
import { Tensor } from '../tensor/tensor.ts';
import { add, scale, square } from './elementwise.ts';
import { sum } from './reduce.ts';

export function l2Penalty(weights: readonly Tensor[], lambda: number): Tensor {
  let total: Tensor | null = null;
  for (const w of weights) {
    const s = sum(square(w));
    total = total ? add(total, s) : s;
  }
  if (!total) throw new Error('l2Penalty: no weights given');
  return scale(total, lambda);
}
