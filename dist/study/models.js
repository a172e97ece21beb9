/**
 * The models the studies and the tuner train, described as small JSON-able specs so that a
 * worker process can rebuild them, and the model files `wgnn train --config` reads.
 */
import { readFileSync } from 'node:fs';
import { BatchNorm } from "../layers/batchnorm.js";
import { Conv2D } from "../layers/conv2d.js";
import { Dense } from "../layers/dense.js";
import { preset } from "../layers/presets.js";
import { Sequential } from "../layers/sequential.js";
import { ActivationLayer, Dropout, Flatten, Pool2D } from "../layers/simple.js";
import { optimizerNames } from "../optim/optimizer.js";
export const studyModels = ['mlp', 'mlp3', 'cnn'];
/**
 * Seed 003's three-dense-layer MLP: 784 → 256 → 128 → 10, with a dropout after each hidden layer
 * when a rate is given (its "dropout" and "both" variants).
 */
export function buildMlp3(o = {}) {
    const act = o.activation ?? 'relu';
    const layers = [new Flatten()];
    for (const units of [256, 128]) {
        layers.push(new Dense(units, act));
        if (o.dropout)
            layers.push(new Dropout(o.dropout));
    }
    return new Sequential([...layers, new Dense(10)]);
}
/**
 * The tuner's search model: the seed CNN's shape (conv → BN → ReLU twice, pool, dropout, dense,
 * dropout) with the two filter counts, the dense width and the dropout rate free, as in the seeds'
 * Keras Tuner model.
 */
export function buildCnn(s) {
    const act = s.activation ?? 'relu';
    const block = (filters) => [new Conv2D(filters, 3), new BatchNorm(), new ActivationLayer(act)];
    return new Sequential([
        ...block(s.filters1),
        ...block(s.filters2),
        new Pool2D('max', 2),
        new Dropout(s.dropout),
        new Flatten(),
        new Dense(s.units, act),
        new Dropout(s.dropout),
        new Dense(10),
    ]);
}
export function buildModel(spec) {
    switch (spec.kind) {
        case 'mlp3': return buildMlp3(spec);
        case 'cnn-search': return buildCnn(spec);
        default: return preset(spec.kind, { activation: spec.activation, dropout: spec.dropout });
    }
}
export const MODEL_FILE_FORMAT = 'wgnn-model';
/** Reads and checks a model file field by field; the model is validated by building its layers. */
export function readModelFile(path) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (e) {
        throw new Error(`${path}: cannot read the model file (${e.code ?? e.message})`);
    }
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch (e) {
        throw new Error(`${path}: not valid JSON (${e.message})`);
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        throw new Error(`${path}: expected a JSON object with "format" and "model"`);
    const f = raw;
    if (f.format !== MODEL_FILE_FORMAT)
        throw new Error(`${path}: field "format" must be "${MODEL_FILE_FORMAT}", got ${JSON.stringify(f.format)}`);
    if (f.model === undefined)
        throw new Error(`${path}: field "model" is missing (an object with "inputShape" and "layers")`);
    const model = Sequential.fromConfig(f.model, `${path}: model`);
    const t = f.training;
    if (t !== undefined) {
        if (!t || typeof t !== 'object' || Array.isArray(t))
            throw new Error(`${path}: field "training" must be an object`);
        const { optimizer, lr, batchSize, epochs, ...rest } = t;
        const unknown = Object.keys(rest);
        if (unknown.length)
            throw new Error(`${path}: training: unknown fields ${unknown.join(', ')} (expected optimizer, lr, batchSize, epochs)`);
        if (optimizer !== undefined && !optimizerNames.includes(optimizer)) {
            throw new Error(`${path}: training: field "optimizer" must be one of ${optimizerNames.join(', ')}, got ${JSON.stringify(optimizer)}`);
        }
        if (lr !== undefined && !(typeof lr === 'number' && lr > 0 && Number.isFinite(lr)))
            throw new Error(`${path}: training: field "lr" must be a positive number, got ${JSON.stringify(lr)}`);
        for (const [k, v] of [['batchSize', batchSize], ['epochs', epochs]]) {
            if (v !== undefined && !(Number.isInteger(v) && v > 0))
                throw new Error(`${path}: training: field "${k}" must be a positive integer, got ${JSON.stringify(v)}`);
        }
    }
    return { model, file: f };
}
