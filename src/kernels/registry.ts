/**
 * Every primitive kernel, by name. The test table (tests/kernel-cases.ts) is typed against this
 * record, so a kernel without parity cases does not compile; `Kernel` itself makes the WGSL side
 * mandatory.
 */
import { activationGradKernel } from './activation.ts';
import { batchNormKernels } from './batchnorm.ts';
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from './conv2d.ts';
import { dropoutKernel } from './dropout.ts';
import { affineKernel, axpyKernel, binaryKernel, unaryGradKernel, unaryKernel } from './elementwise.ts';
import type { Kernel } from './kernel.ts';
import { matmulKernel } from './matmul.ts';
import { countCorrectKernel } from './metrics.ts';
import { adamKernel, momentumKernel, sgdKernel, updateGroupKernel } from './optimizers.ts';
import { avgPoolGradKernel, avgPoolKernel, maxPoolActGradKernel, maxPoolActKernel, maxPoolGradKernel, maxPoolKernel } from './pool.ts';
import { broadcastKernel, sumToKernel } from './reduce.ts';
import { rnnKernels } from './rnn.ts';
import { crossEntropyGradKernel, crossEntropyKernel, crossEntropyMeanGradKernel, crossEntropyMeanKernel, softmaxGradKernel, softmaxKernel } from './softmax.ts';

export const kernels = {
  binary: binaryKernel,
  unary: unaryKernel,
  unaryGrad: unaryGradKernel,
  affine: affineKernel,
  axpy: axpyKernel,
  sumTo: sumToKernel,
  broadcast: broadcastKernel,
  matmul: matmulKernel,
  activationGrad: activationGradKernel,
  conv2d: conv2dKernel,
  conv2dGradInput: conv2dGradInputKernel,
  conv2dGradWeight: conv2dGradWeightKernel,
  maxPool: maxPoolKernel,
  maxPoolGrad: maxPoolGradKernel,
  avgPool: avgPoolKernel,
  avgPoolGrad: avgPoolGradKernel,
  maxPoolAct: maxPoolActKernel,
  maxPoolActGrad: maxPoolActGradKernel,
  ...batchNormKernels,
  dropout: dropoutKernel,
  softmax: softmaxKernel,
  softmaxGrad: softmaxGradKernel,
  crossEntropy: crossEntropyKernel,
  crossEntropyGrad: crossEntropyGradKernel,
  crossEntropyMean: crossEntropyMeanKernel,
  crossEntropyMeanGrad: crossEntropyMeanGradKernel,
  countCorrect: countCorrectKernel,
  sgd: sgdKernel,
  momentum: momentumKernel,
  adam: adamKernel,
  updateGroup: updateGroupKernel,
  ...rnnKernels,
};

export type Kernels = typeof kernels;
export type KernelName = keyof Kernels;
export type ParamsOf<K extends KernelName> = Kernels[K] extends Kernel<infer P> ? P : never;
