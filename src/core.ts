/**
 * The engine core without Node: tensors, autograd, every op, layers, optimizers and the training
 * loop, on the reference backend or a backend of your own. Nothing here imports a `node:` module,
 * so a browser bundler can take it (`wgnn/core`); `wgnn` adds the WASM and WebGPU backends,
 * MNIST, files and the CLI's pieces.
 */
export type { Backend, DType, HostArray, Storage } from './tensor/backend.ts';
export type { Kernel } from './kernels/kernel.ts';
export { Tensor, type Shape } from './tensor/tensor.ts';
export { setBackend, currentBackend, scope, keep, noGrad } from './tensor/context.ts';
export { backward } from './tensor/autograd.ts';
export { ReferenceBackend } from './backends/reference.ts';

export * as ops from './kernels/ops.ts';

export { Layer, type Parameter, type ForwardContext, type LayerConfig } from './layers/layer.ts';
export { Dense } from './layers/dense.ts';
export { Conv2D } from './layers/conv2d.ts';
export { BatchNorm } from './layers/batchnorm.ts';
export { ResidualBlock } from './layers/residual.ts';
export { ActivationLayer, Dropout, Flatten, Pool2D } from './layers/simple.ts';
export { Sequential, type ModelConfig, type NamedParameter } from './layers/sequential.ts';
export { preset, presetNames, type PresetName, type PresetOptions } from './layers/presets.ts';

export { Optimizer, optimizerNames, type OptimizerName, type OptimizerOptions } from './optim/optimizer.ts';
export { fit, evaluate, NonFiniteLossError, type FitOptions, type EpochLogs, type Callback, type TrainingState } from './train/fit.ts';
export { predict } from './train/predict.ts';
export type { Examples } from './train/dataset.ts';
