import { Sequential } from './sequential.ts';
import type { Activation } from '../kernels/elementwise.ts';
export declare const presetNames: readonly ["mlp", "mlp3", "cnn", "cnn-tuned", "resnet", "fast"];
export type PresetName = (typeof presetNames)[number];
export interface PresetOptions {
    /** replaces the hidden activation (ReLU by default) */
    activation?: Activation;
    /** replaces every dropout rate */
    dropout?: number;
    /** batch norm in the CNNs (on by default) */
    batchNorm?: boolean;
    /** λ of the kernels the preset regularizes itself (mlp3: its first Dense, 0.001); 0 removes it */
    l2?: number;
    /** [channels, height, width] of the input; MNIST's [1, 28, 28] by default */
    inputShape?: number[];
    /** a Standardize layer first, (x − 0.1307) / 0.3081 (on by default in `fast` only) */
    standardize?: boolean;
}
/** MNIST's pixel mean and standard deviation over the training set, pixels in [0, 1]. */
export declare const MNIST_MEAN = 0.1307;
export declare const MNIST_STD = 0.3081;
/** The training settings of a preset's notebook, used where the command line gives none. */
export declare const presetTraining: Partial<Record<PresetName, {
    epochs?: number;
    batchSize?: number;
    validationSplit?: number;
}>>;
export declare function preset(name: string, o?: PresetOptions): Sequential;
