/**
 * Shader modules, bind-group layouts and compute pipelines, each created once. A module is one
 * family file `shaders/<family>.wgsl` with `shaders/common.wgsl` (index folding, erf, the RNG hash)
 * in front of it; a pipeline is a (family, entry point, override constants) triple; a layout is
 * the binding signature (uniform block, k read-only buffers, m read-write buffers), explicit so that
 * every entry point with that signature shares it.
 */
import { readFileSync } from 'node:fs';
const shaderDir = new URL('../../../shaders/', import.meta.url);
/** The uniform block is bound with a dynamic offset into one arena per command encoder. */
export const uniformBlockBytes = 256;
export class Pipelines {
    device;
    debug;
    #modules = new Map();
    #layouts = new Map();
    #pipelines = new Map();
    #compiling = new Map();
    #common = null;
    constructor(device, debug) {
        this.device = device;
        this.debug = debug;
    }
    /** The pipeline, created now (synchronously) unless it is cached. */
    get(k) {
        const id = keyOf(k);
        let compiled = this.#pipelines.get(id);
        if (!compiled) {
            const layout = this.#layout(k.inputs, k.outputs);
            const pipeline = this.device.createComputePipeline(this.#descriptor(k, layout.pipeline, id));
            compiled = { pipeline, layout: layout.group };
            this.#pipelines.set(id, compiled);
        }
        return compiled;
    }
    /** Compiles in the background (Dawn's async creation); `get` afterwards finds it cached. */
    prepare(k) {
        const id = keyOf(k);
        const done = this.#pipelines.get(id);
        if (done)
            return Promise.resolve(done);
        let pending = this.#compiling.get(id);
        if (!pending) {
            const layout = this.#layout(k.inputs, k.outputs);
            pending = this.device.createComputePipelineAsync(this.#descriptor(k, layout.pipeline, id)).then((pipeline) => {
                const compiled = this.#pipelines.get(id) ?? { pipeline, layout: layout.group };
                this.#pipelines.set(id, compiled);
                this.#compiling.delete(id);
                return compiled;
            });
            this.#compiling.set(id, pending);
        }
        return pending;
    }
    get size() {
        return this.#pipelines.size;
    }
    #descriptor(k, layout, label) {
        return { label, layout, compute: { module: this.#module(k.shader), entryPoint: k.entry, constants: k.key ? numeric(k.key) : {} } };
    }
    #module(family) {
        let module = this.#modules.get(family);
        if (!module) {
            this.#common ??= readFileSync(new URL('common.wgsl', shaderDir), 'utf8');
            const code = `${this.#common}\n${readFileSync(new URL(`${family}.wgsl`, shaderDir), 'utf8')}`;
            module = this.device.createShaderModule({ label: family, code });
            if (this.debug) {
                void module.getCompilationInfo().then((info) => {
                    for (const m of info.messages)
                        console.error(`[wgnn webgpu] ${family}.wgsl:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`);
                });
            }
            this.#modules.set(family, module);
        }
        return module;
    }
    #layout(inputs, outputs) {
        const id = `${inputs}r${outputs}w`;
        let layout = this.#layouts.get(id);
        if (!layout) {
            const entries = [
                { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 0 } },
            ];
            for (let i = 0; i < inputs + outputs; i++) {
                entries.push({ binding: i + 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: i < inputs ? 'read-only-storage' : 'storage' } });
            }
            const group = this.device.createBindGroupLayout({ label: id, entries });
            layout = { group, pipeline: this.device.createPipelineLayout({ label: id, bindGroupLayouts: [group] }) };
            this.#layouts.set(id, layout);
        }
        return layout;
    }
}
function numeric(key) {
    const out = {};
    for (const [name, v] of Object.entries(key))
        out[name] = typeof v === 'boolean' ? Number(v) : v;
    return out;
}
function keyOf(k) {
    const constants = k.key ? Object.entries(k.key).map(([n, v]) => `${n}=${Number(v)}`).join(',') : '';
    return `${k.shader}:${k.entry}(${constants})${k.inputs}r${k.outputs}w`;
}
