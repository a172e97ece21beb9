/**
 * checkpoint.safetensors: everything a run needs to continue exactly where it stopped, in one
 * file written atomically, so a crash leaves either the previous checkpoint or the new one whole.
 * Tensors: "model/<name>", "optimizer/<param>.<slot>", "callback/<id>/<name>"; the rest (epoch,
 * optimizer step count and rate, callback counters, history) is JSON in the metadata.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors, ModelFileError, saveSafetensors } from "./safetensors.js";
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
const KEY = 'wgnn_checkpoint';
const VERSION = 1;
export async function saveCheckpoint(dir, s, callbacks) {
    mkdirSync(dir, { recursive: true });
    const tensors = {};
    for (const [name, t] of Object.entries(await s.model.stateDict()))
        tensors[`model/${name}`] = t;
    for (const [name, t] of Object.entries(await s.optimizer.stateDict()))
        tensors[`optimizer/${name}`] = t;
    const meta = {
        version: VERSION,
        epoch: s.history.at(-1)?.epoch ?? 0,
        stopped: s.stopped,
        optimizer: { name: s.optimizer.name, lr: s.optimizer.lr, steps: s.optimizer.steps },
        callbacks: {},
        history: s.history,
    };
    for (const c of callbacks) {
        const st = c.getState();
        meta.callbacks[c.id] = st.json;
        for (const [name, t] of Object.entries(st.tensors ?? {}))
            tensors[`callback/${c.id}/${name}`] = t;
    }
    saveSafetensors(join(dir, CHECKPOINT_FILE), tensors, { [KEY]: JSON.stringify(meta) });
}
/** Restores model, optimizer and callbacks from a run directory's checkpoint; every tensor is checked. */
export function loadCheckpoint(dir, model, optimizer, callbacks) {
    const path = join(dir, CHECKPOINT_FILE);
    if (!existsSync(path))
        throw new ModelFileError(path, 'file not found: nothing to resume (was the run started with --out?)');
    const { tensors, metadata } = loadSafetensors(path);
    let meta;
    try {
        meta = JSON.parse(metadata[KEY] ?? 'null');
    }
    catch (e) {
        throw new ModelFileError(path, `metadata "${KEY}" is not valid JSON (${e.message})`);
    }
    if (!meta || meta.version !== VERSION)
        throw new ModelFileError(path, `metadata "${KEY}" is missing or not version ${VERSION}: not a wgnn checkpoint?`);
    if (meta.optimizer.name !== optimizer.name) {
        throw new ModelFileError(path, `holds ${meta.optimizer.name} state but the run's optimizer is ${optimizer.name}`);
    }
    const group = (prefix) => Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
    model.loadStateDict(group('model/'), path);
    optimizer.lr = meta.optimizer.lr;
    optimizer.loadStateDict(model.trainable(), group('optimizer/'), meta.optimizer.steps);
    for (const c of callbacks) {
        const json = meta.callbacks[c.id];
        if (!json)
            throw new ModelFileError(path, `holds no state for callback "${c.id}": was the run started with the same callbacks?`);
        c.setState({ json, tensors: group(`callback/${c.id}/`) });
    }
    return { epoch: meta.epoch, stopped: meta.stopped, history: meta.history };
}
