/**
 * Shader modules, bind-group layouts and compute pipelines, each created once. A module is one
 * family file `shaders/<family>.wgsl` with `shaders/common.wgsl` (index folding, erf, the RNG hash)
 * in front of it; a pipeline is a (family, entry point, override constants) triple; a layout is
 * the binding signature (uniform block, k read-only buffers, m read-write buffers), explicit so that
 * every entry point with that signature shares it.
 */
import { readFileSync } from 'node:fs';

const shaderDir = new URL('../../../shaders/', import.meta.url);

export interface PipelineKey {
  readonly shader: string;
  readonly entry: string;
  readonly key?: Readonly<Record<string, number | boolean>>;
  /** Module-scope `const`s (a GEMM tile shape) written in front of the family's code. */
  readonly consts?: Readonly<Record<string, number>>;
  readonly inputs: number;
  readonly outputs: number;
}

export interface Compiled {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/**
 * Families that are instances of the tiled GEMM template: `shaders/gemm.wgsl` is appended after
 * their hooks, and their dispatches name the tile shape in `consts`.
 */
const gemmFamilies = new Set(['matmul', 'conv2d']);

/** The uniform block is bound with a dynamic offset into one arena per command encoder. */
export const uniformBlockBytes = 256;

export class Pipelines {
  readonly #modules = new Map<string, GPUShaderModule>();
  readonly #layouts = new Map<string, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();
  readonly #pipelines = new Map<string, Compiled>();
  readonly #compiling = new Map<string, Promise<Compiled>>();
  readonly #sources = new Map<string, string>();
  #common: string | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly debug: boolean,
  ) {}

  /** The pipeline, created now (synchronously) unless it is cached. */
  get(k: PipelineKey): Compiled {
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
  prepare(k: PipelineKey): Promise<Compiled> {
    const id = keyOf(k);
    const done = this.#pipelines.get(id);
    if (done) return Promise.resolve(done);
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

  get size(): number {
    return this.#pipelines.size;
  }

  #descriptor(k: PipelineKey, layout: GPUPipelineLayout, label: string): GPUComputePipelineDescriptor {
    return { label, layout, compute: { module: this.#module(k.shader, k.consts), entryPoint: k.entry, constants: k.key ? numeric(k.key) : {} } };
  }

  #module(family: string, consts?: Readonly<Record<string, number>>): GPUShaderModule {
    const id = `${family}${constsKey(consts)}`;
    let module = this.#modules.get(id);
    if (!module) {
      this.#common ??= readFileSync(new URL('common.wgsl', shaderDir), 'utf8');
      const header = Object.entries(consts ?? {}).map(([name, v]) => `const ${name}: u32 = ${v}u;\n`).join('');
      if (gemmFamilies.has(family) && !consts) throw new Error(`webgpu: '${family}' is a GEMM instance; its dispatch must name a tile shape`);
      const template = gemmFamilies.has(family) ? `\n${this.#source('gemm')}` : '';
      const code = `${header}${this.#common}\n${this.#source(family)}${template}`;
      module = this.device.createShaderModule({ label: id, code });
      if (this.debug) {
        void module.getCompilationInfo().then((info) => {
          for (const m of info.messages) console.error(`[wgnn webgpu] ${family}.wgsl:${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`);
        });
      }
      this.#modules.set(id, module);
    }
    return module;
  }

  #source(file: string): string {
    let text = this.#sources.get(file);
    if (text === undefined) {
      text = readFileSync(new URL(`${file}.wgsl`, shaderDir), 'utf8');
      this.#sources.set(file, text);
    }
    return text;
  }

  #layout(inputs: number, outputs: number): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
    const id = `${inputs}r${outputs}w`;
    let layout = this.#layouts.get(id);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
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

function numeric(key: Readonly<Record<string, number | boolean>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(key)) out[name] = typeof v === 'boolean' ? Number(v) : v;
  return out;
}

function constsKey(consts?: Readonly<Record<string, number>>): string {
  return consts ? `[${Object.entries(consts).map(([n, v]) => `${n}=${v}`).join(',')}]` : '';
}

function keyOf(k: PipelineKey): string {
  const constants = k.key ? Object.entries(k.key).map(([n, v]) => `${n}=${Number(v)}`).join(',') : '';
  return `${k.shader}${constsKey(k.consts)}:${k.entry}(${constants})${k.inputs}r${k.outputs}w`;
}
