/**
 * The WASM kernels' exports. Kernels that threads share take (params, lo, hi, scratch, tid):
 * a pointer to their parameter block, the range of work units of one chunk, and the scratch
 * area and index of the thread running it (for a kernel run with one partial sum per chunk, the
 * index of the chunk); the rest are helpers the main thread calls directly.
 */
import { MR, SCRATCH_BYTES } from './gemm';

/** Where the kernels' constant data (math tables) ends: the allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}

export function scratchBytes(): i32 {
  return <i32>SCRATCH_BYTES;
}

/** Rows of the GEMM micro-tile (6 with relaxed SIMD, else 4): matmul splits rows by it. */
export function tileRows(): i32 {
  return MR;
}

export { matmul } from './matmul';
export { conv2d, conv2dGradInput, conv2dGradWeight } from './conv2d';
export { zero, addTo, unary, unaryGrad, affine, axpy, binary, broadcast, sumTo, dropout, ema } from './elementwise';
export { maxPool, maxPoolGrad, avgPool, avgPoolGrad } from './pool';
export { maxPoolAct, maxPoolActGrad } from './pool';
export { bnStats, bnForward, bnBackward } from './batchnorm';
export { softmax, softmaxGrad, crossEntropy, crossEntropyGrad } from './softmax';
export { countCorrect } from './metrics';
export { sgd, momentum, adam } from './optimizers';
export { rnnStep, rnnStepGrad } from './rnn';
export { fmaPeak } from './peak';
