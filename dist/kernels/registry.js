/**
 * Every primitive kernel, by name. The test table (tests/kernel-cases.ts) is typed against this
 * record, so a kernel without parity cases does not compile; `Kernel` itself makes the WGSL side
 * mandatory.
 */
import { batchNormKernels } from "./batchnorm.js";
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel } from "./conv2d.js";
import { dropoutKernel } from "./dropout.js";
import { affineKernel, axpyKernel, binaryKernel, unaryGradKernel, unaryKernel } from "./elementwise.js";
import { matmulKernel } from "./matmul.js";
import { countCorrectKernel } from "./metrics.js";
import { adamKernel, momentumKernel, sgdKernel } from "./optimizers.js";
import { avgPoolGradKernel, avgPoolKernel, maxPoolGradKernel, maxPoolKernel } from "./pool.js";
import { broadcastKernel, sumToKernel } from "./reduce.js";
import { crossEntropyGradKernel, crossEntropyKernel, softmaxGradKernel, softmaxKernel } from "./softmax.js";
export const kernels = {
    binary: binaryKernel,
    unary: unaryKernel,
    unaryGrad: unaryGradKernel,
    affine: affineKernel,
    axpy: axpyKernel,
    sumTo: sumToKernel,
    broadcast: broadcastKernel,
    matmul: matmulKernel,
    conv2d: conv2dKernel,
    conv2dGradInput: conv2dGradInputKernel,
    conv2dGradWeight: conv2dGradWeightKernel,
    maxPool: maxPoolKernel,
    maxPoolGrad: maxPoolGradKernel,
    avgPool: avgPoolKernel,
    avgPoolGrad: avgPoolGradKernel,
    ...batchNormKernels,
    dropout: dropoutKernel,
    softmax: softmaxKernel,
    softmaxGrad: softmaxGradKernel,
    crossEntropy: crossEntropyKernel,
    crossEntropyGrad: crossEntropyGradKernel,
    countCorrect: countCorrectKernel,
    sgd: sgdKernel,
    momentum: momentumKernel,
    adam: adamKernel,
};
