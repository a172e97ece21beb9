/** Every differentiable op, for building models by hand. */
export { add, sub, mul, div, unary, relu, tanh, softsign, gelu, sigmoid, exp, log, neg, square, sqrt, affine, scale, reshape, flatten } from './elementwise.ts';
export { sum, mean, sumTo, broadcastTo } from './reduce.ts';
export { matmul } from './matmul.ts';
export { conv2d } from './conv2d.ts';
export { maxPool2d, maxPool2dAct, avgPool2d } from './pool.ts';
export { batchNorm } from './batchnorm.ts';
export { dropout } from './dropout.ts';
export { softmax, crossEntropy, crossEntropyPerRow } from './softmax.ts';
export { l2Penalty } from './penalty.ts';
export { recurrent } from './rnn.ts';

import type { BinaryOp, UnaryOp } from './elementwise.ts';
import type { RnnOp } from './rnn.ts';
/**
 * The names the differentiable ops record their gradient rules under (`record(out, name, …)`):
 * tests/gradcheck.test.ts keys its cases by them, so an op without a gradient check does not compile.
 */
export type GradOp =
  | BinaryOp | UnaryOp | 'affine' | 'reshape' | 'sumTo' | 'broadcast' | 'matmul' | 'conv2d' | 'maxPool2d' | 'maxPool2dAct' | 'avgPool2d'
  | 'batchNorm' | 'dropout' | 'softmax' | 'crossEntropy' | RnnOp;
