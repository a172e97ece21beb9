/** Every differentiable op, for building models by hand. */
export { add, sub, mul, div, unary, relu, tanh, softsign, gelu, sigmoid, exp, log, neg, square, sqrt, affine, scale, reshape, flatten } from "./elementwise.js";
export { sum, mean, sumTo, broadcastTo } from "./reduce.js";
export { matmul } from "./matmul.js";
export { conv2d } from "./conv2d.js";
export { maxPool2d, avgPool2d } from "./pool.js";
export { batchNorm } from "./batchnorm.js";
export { dropout } from "./dropout.js";
export { softmax, crossEntropy, crossEntropyPerRow } from "./softmax.js";
export { l2Penalty } from "./penalty.js";
