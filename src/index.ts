/** wgnn's public API: what the CLI does, as a library. */
export type { Backend, DType, HostArray, Storage } from './tensor/backend.ts';
export { Tensor, type Shape } from './tensor/tensor.ts';
export { setBackend, currentBackend, scope, keep, noGrad } from './tensor/context.ts';
export { backward } from './tensor/autograd.ts';
export { ReferenceBackend } from './backends/reference.ts';
export { selectBackend, backendNames, type BackendName } from './backends/select.ts';

export * as ops from './kernels/ops.ts';

export { Layer, type Parameter, type ForwardContext, type LayerConfig } from './layers/layer.ts';
export { Dense } from './layers/dense.ts';
export { Conv2D } from './layers/conv2d.ts';
export { BatchNorm } from './layers/batchnorm.ts';
export { ResidualBlock } from './layers/residual.ts';
export { ActivationLayer, Dropout, Flatten, Pool2D, Standardize } from './layers/simple.ts';
export { Sequential, type ModelConfig, type NamedParameter } from './layers/sequential.ts';
export { preset, presetNames, type PresetName, type PresetOptions } from './layers/presets.ts';

export { Optimizer, optimizerNames, type OptimizerName, type OptimizerOptions } from './optim/optimizer.ts';
export { fit, evaluate, NonFiniteLossError, type FitOptions, type EpochLogs, type Callback, type TrainingState } from './train/fit.ts';
export { predict } from './train/predict.ts';
export type { Examples } from './train/dataset.ts';
export {
  EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, monitorNames,
  type EarlyStoppingOptions, type ReduceLROnPlateauOptions, type Monitor, type Mode,
} from './train/callbacks.ts';
export { schedule, scheduleNames, type ScheduleName, type ScheduleOptions } from './train/schedules.ts';
export {
  confusionMatrix, classificationReport, formatClassificationReport, formatConfusionMatrix, mostConfused, argmaxRows,
  type ClassificationReport, type ClassRow, type ConfusedPair,
} from './eval/metrics.ts';
export { decodeImage, ImageError, type Rgba } from './image/decode.ts';
export { mnistify, type Preprocessed } from './image/mnistify.ts';

export { loadMnist, splitValidation, limit, type Mnist, type Split } from './data/mnist.ts';
export { readIdx, parseIdx, DataError } from './data/idx.ts';
export { loadImageDataset, FASHION_CLASSES, type ImageDataset, type Normalization } from './data/image-dataset.ts';
export { datasetNames, imageDatasetNames, type DatasetName, type ImageDatasetName } from './data/datasets.ts';
export { loadCifar10, parseCifarBatch, CIFAR_CLASSES } from './data/cifar10.ts';
export { loadImageFolder } from './data/folder.ts';
export { toPlanes } from './image/planes.ts';
export { CropFlip, makeAugmenter } from './train/augment.ts';
export { saveModel, loadModel, type RunConfig } from './io/run-dir.ts';
export { saveSafetensors, loadSafetensors, ModelFileError } from './io/safetensors.ts';
