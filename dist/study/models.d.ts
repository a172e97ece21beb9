import type { Activation } from '../kernels/elementwise.ts';
import { Sequential, type ModelConfig } from '../layers/sequential.ts';
import { type OptimizerName } from '../optim/optimizer.ts';
export declare const studyModels: readonly ["mlp", "mlp3", "cnn"];
export type StudyModel = (typeof studyModels)[number];
export interface CnnShape {
    filters1: number;
    filters2: number;
    units: number;
    dropout: number;
}
/** What a worker needs to rebuild a model: a study model with overrides, or the tuner's CNN. */
export type ModelSpec = {
    kind: 'mlp' | 'mlp3' | 'cnn';
    activation?: Activation;
    dropout?: number;
} | ({
    kind: 'cnn-search';
    activation?: Activation;
} & CnnShape);
/**
 * Seed 003's three-dense-layer MLP: 784 → 256 → 128 → 10, with a dropout after each hidden layer
 * when a rate is given (its "dropout" and "both" variants).
 */
export declare function buildMlp3(o?: {
    activation?: Activation;
    dropout?: number;
}): Sequential;
/**
 * The tuner's search model: the seed CNN's shape (conv → BN → ReLU twice, pool, dropout, dense,
 * dropout) with the two filter counts, the dense width and the dropout rate free, as in the seeds'
 * Keras Tuner model.
 */
export declare function buildCnn(s: CnnShape & {
    activation?: Activation;
}): Sequential;
export declare function buildModel(spec: ModelSpec): Sequential;
/** A model file: what the tuner writes as its best preset and `wgnn train --config` reads. */
export interface ModelFile {
    format: 'wgnn-model';
    /** where it came from, e.g. the tuner's trial */
    source?: string;
    model: ModelConfig;
    /** training settings the file suggests; the command line's explicit options win */
    training?: {
        optimizer?: OptimizerName;
        lr?: number;
        batchSize?: number;
        epochs?: number;
    };
}
export declare const MODEL_FILE_FORMAT = "wgnn-model";
/** Reads and checks a model file field by field; the model is validated by building its layers. */
export declare function readModelFile(path: string): {
    model: Sequential;
    file: ModelFile;
};
