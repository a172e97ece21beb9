/**
 * Metrics accumulated on the device, so a training step never waits for a readback: the loop
 * reads these sums once per logging interval.
 */
import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import type { RowsParams } from './softmax.ts';
/** acc[0] += number of rows whose first largest logit is at the label. */
export declare const countCorrectKernel: Kernel<RowsParams>;
export declare function countCorrectInto(acc: Tensor, logits: Tensor, labels: Tensor): void;
