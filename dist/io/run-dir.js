/**
 * A run directory: model.safetensors (PyTorch names and layouts), config.json (architecture and
 * training settings) and history.json. Everything is written atomically.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sequential } from "../layers/sequential.js";
import { writeFileAtomic } from "./atomic.js";
import { loadSafetensors, saveSafetensors } from "./safetensors.js";
export const FORMAT = 'wgnn-run';
export const FORMAT_VERSION = 1;
export async function saveModel(dir, model, meta, history) {
    mkdirSync(dir, { recursive: true });
    saveSafetensors(join(dir, 'model.safetensors'), await model.stateDict(), { format: FORMAT, version: String(FORMAT_VERSION) });
    const config = { format: FORMAT, version: FORMAT_VERSION, ...meta, model: model.config() };
    writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    writeFileAtomic(join(dir, 'history.json'), JSON.stringify(history, null, 2) + '\n');
}
export function readRunConfig(dir) {
    const path = join(dir, 'config.json');
    if (!existsSync(path))
        throw new Error(`${path}: not found (is ${dir} a wgnn run directory?)`);
    let cfg;
    try {
        cfg = JSON.parse(readFileSync(path, 'utf8'));
    }
    catch (e) {
        throw new Error(`${path}: not valid JSON (${e.message})`);
    }
    const c = cfg;
    if (c.format !== FORMAT)
        throw new Error(`${path}: field "format" must be "${FORMAT}", got ${JSON.stringify(c.format)}`);
    if (c.version !== FORMAT_VERSION)
        throw new Error(`${path}: field "version" must be ${FORMAT_VERSION}, got ${JSON.stringify(c.version)}`);
    return c;
}
/** Rebuilds the model of a run directory on the current backend and loads its weights. */
export function loadModel(dir) {
    const config = readRunConfig(dir);
    const model = Sequential.fromConfig(config.model, join(dir, 'config.json')).build(0);
    const weights = join(dir, 'model.safetensors');
    model.loadStateDict(loadSafetensors(weights).tensors, weights);
    return { model, config };
}
