import { Sequential } from './sequential.ts';
import type { Activation } from '../kernels/elementwise.ts';
export declare const presetNames: readonly ["mlp", "cnn", "cnn-tuned", "resnet"];
export type PresetName = (typeof presetNames)[number];
export interface PresetOptions {
    /** replaces the hidden activation (ReLU by default) */
    activation?: Activation;
    /** replaces every dropout rate */
    dropout?: number;
    /** batch norm in the CNNs (on by default) */
    batchNorm?: boolean;
    /** [channels, height, width] of the input; MNIST's [1, 28, 28] by default */
    inputShape?: number[];
}
export declare function preset(name: string, o?: PresetOptions): Sequential;
