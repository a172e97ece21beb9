/** Every differentiable op, for building models by hand. */
export { add, sub, mul, div, unary, relu, tanh, softsign, gelu, sigmoid, exp, log, neg, square, sqrt, affine, scale, reshape, flatten } from './elementwise.ts';
export { sum, mean, sumTo, broadcastTo } from './reduce.ts';
export { matmul } from './matmul.ts';
export { conv2d } from './conv2d.ts';
export { maxPool2d, avgPool2d } from './pool.ts';
export { batchNorm } from './batchnorm.ts';
export { dropout } from './dropout.ts';
export { softmax, crossEntropy, crossEntropyPerRow } from './softmax.ts';
export { l2Penalty } from './penalty.ts';
