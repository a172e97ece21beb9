/**
 * Shader modules, bind-group layouts and compute pipelines, each created once. A module is one
 * family file `shaders/<family>.wgsl` with `shaders/common.wgsl` (index folding, erf, the RNG hash)
 * and the WGSL its declarations generate (src/kernels/spec.ts) in front of it, and its template
 * (shaders/gemm.wgsl) after it, if it declares one;
 * a pipeline is a (family, entry point, override constants) triple; a layout is the binding
 * signature (the uniform block, then each storage binding's number and whether it is written),
 * explicit so that every entry point with that signature shares it.
 */
import { readFileSync } from 'node:fs';
import type { ShaderSource } from '../../kernels/gpu.ts';

const shaderDir = new URL('../../../shaders/', import.meta.url);

export interface PipelineKey {
  readonly shader: ShaderSource;
  readonly entry: string;
  readonly key?: Readonly<Record<string, number | boolean>>;
  /** Module-scope `const`s (a GEMM tile shape) written in front of the family's code. */
  readonly consts?: Readonly<Record<string, number>>;
  readonly inputs: number;
  readonly outputs: number;
  /** binding numbers of the inputs then the outputs; 1, 2, … when absent */
  readonly bindings?: readonly number[];
}

/** The layout's name: `1r2r6w` is bindings 1 and 2 read-only and 6 written. */
export function layoutId(k: Pick<PipelineKey, 'inputs' | 'outputs' | 'bindings'>): string {
  // Always spelled binding by binding: a count form ("1r2w": one input, two outputs) would name
  // the same layout as bindings [1, 2] (one input, one output).
  const bindings = k.bindings ?? Array.from({ length: k.inputs + k.outputs }, (_, i) => i + 1);
  return bindings.map((b, i) => `${b}${i < k.inputs ? 'r' : 'w'}`).join('');
}

export interface Compiled {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** The uniform block is bound with a dynamic offset into one arena per command encoder. */
export const uniformBlockBytes = 256;

export class Pipelines {
  readonly #modules = new Map<string, GPUShaderModule>();
  readonly #layouts = new Map<string, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();
  readonly #pipelines = new Map<string, Compiled>();
  readonly #compiling = new Map<string, Promise<Compiled>>();
  #common: string | null = null;
  /** template files (shaders/gemm.wgsl) by name, appended after the families that declare them */
  readonly #templates = new Map<string, string>();

  constructor(
    private readonly device: GPUDevice,
    private readonly debug: boolean,
  ) {}

  /** The pipeline, created now (synchronously) unless it is cached. */
  get(k: PipelineKey): Compiled {
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
  prepare(k: PipelineKey): Promise<Compiled> {
    const id = keyOf(k);
    const done = this.#pipelines.get(id);
    if (done) return Promise.resolve(done);
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

  get size(): number {
    return this.#pipelines.size;
  }

  #descriptor(k: PipelineKey, layout: GPUPipelineLayout, label: string): GPUComputePipelineDescriptor {
    return { label, layout, compute: { module: this.#module(k.shader, k.consts), entryPoint: k.entry, constants: k.key ? numeric(k.key) : {} } };
  }

  #module(shader: ShaderSource, consts?: Readonly<Record<string, number>>): GPUShaderModule {
    const family = shader.name;
    const id = `${family}${constsKey(consts)}`;
    let module = this.#modules.get(id);
    if (!module) {
      this.#common ??= readFileSync(new URL('common.wgsl', shaderDir), 'utf8');
      const source = readFileSync(new URL(`${family}.wgsl`, shaderDir), 'utf8');
      shader.check(source);
      // A template instance's dispatches name the tile shape in `consts`.
      const template = shader.template;
      if (template && !consts) throw new Error(`webgpu: '${family}' is an instance of shaders/${template}.wgsl; its dispatch must name a tile shape`);
      let appended = '';
      if (template) {
        appended = this.#templates.get(template) ?? readFileSync(new URL(`${template}.wgsl`, shaderDir), 'utf8');
        this.#templates.set(template, appended);
      }
      const header = Object.entries(consts ?? {}).map(([name, v]) => `const ${name}: u32 = ${v}u;\n`).join('');
      const body = `${this.#common}\n${shader.preamble()}\n${source}`;
      const code = `${header}${body}${template ? `\n${appended}` : ''}`;
      if (this.debug) console.error(`[wgnn webgpu] ${family}.wgsl declarations:\n${shader.preamble()}`);
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

  #layout(k: PipelineKey): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
    const id = layoutId(k);
    let layout = this.#layouts.get(id);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [
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
  return `${k.shader.name}${constsKey(k.consts)}:${k.entry}(${constants})${layoutId(k)}`;
}
