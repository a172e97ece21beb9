/**
 * Shader modules, bind-group layouts and compute pipelines, each created once. A module is one
 * family file `shaders/<family>.wgsl` with `shaders/common.wgsl` (index folding, erf, the RNG hash)
 * in front of it, then, for a declared family, the WGSL its declarations generate (src/kernels/spec.ts);
 * a pipeline is a (family, entry point, override constants) triple; a layout is the binding
 * signature (the uniform block, then each storage binding's number and whether it is written),
 * explicit so that every entry point with that signature shares it.
 */
import { readFileSync } from 'node:fs';
const shaderDir = new URL('../../../shaders/', import.meta.url);
/** The layout's name: `1r2r6w` is bindings 1 and 2 read-only and 6 written. */
export function layoutId(k) {
    if (!k.bindings)
        return `${k.inputs}r${k.outputs}w`;
    return k.bindings.map((b, i) => `${b}${i < k.inputs ? 'r' : 'w'}`).join('');
}
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
            const layout = this.#layout(k);
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
            const layout = this.#layout(k);
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
    #module(shader) {
        const family = typeof shader === 'string' ? shader : shader.name;
        let module = this.#modules.get(family);
        if (!module) {
            this.#common ??= readFileSync(new URL('common.wgsl', shaderDir), 'utf8');
            const source = readFileSync(new URL(`${family}.wgsl`, shaderDir), 'utf8');
            if (typeof shader !== 'string')
                shader.check(source);
            const code = typeof shader === 'string' ? `${this.#common}\n${source}` : `${this.#common}\n${shader.preamble()}\n${source}`;
            if (this.debug && typeof shader !== 'string')
                console.error(`[wgnn webgpu] ${family}.wgsl declarations:\n${shader.preamble()}`);
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
    #layout(k) {
        const id = layoutId(k);
        let layout = this.#layouts.get(id);
        if (!layout) {
            const entries = [
                { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 0 } },
            ];
            for (let i = 0; i < k.inputs + k.outputs; i++) {
                entries.push({ binding: k.bindings?.[i] ?? i + 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: i < k.inputs ? 'read-only-storage' : 'storage' } });
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
    return `${typeof k.shader === 'string' ? k.shader : k.shader.name}:${k.entry}(${constants})${layoutId(k)}`;
}
