/**
 * One declaration per kernel of its parameter fields and op codes, from which the other two
 * languages follow: the WGSL structs, op-code constants and named bindings are generated when a
 * shader family is loaded (src/backends/webgpu/pipelines.ts), the AssemblyScript field readers and
 * op codes when the WASM is built (scripts/gen-assembly.ts, run by `npm run build:wasm`). Uniforms
 * and WASM parameter blocks are packed by field name through the same layout, so the three sides
 * cannot drift apart: a field is added in one place.
 */
import type { GpuBinding, GpuDispatch, ShaderSource } from './gpu.ts';
import { hash32Steps } from './random.ts';

/**
 * A field's type. `ptr` is a byte offset into WASM memory (AssemblyScript `usize`); `u32x8` and
 * `i32x8` are shape or stride lists of rank ≤ 8 (WGSL `array<vec4u, 2>`, read with `at8`).
 */
export type FieldType = 'u32' | 'i32' | 'f32' | 'ptr' | 'u32x8' | 'i32x8';
export type Fields = Readonly<Record<string, FieldType>>;
type ValueOf<T extends FieldType> = T extends 'u32x8' | 'i32x8' ? readonly number[] : number;
/** The values of a block, every field by name: the compiler rejects a missing one. */
export type Values<F extends Fields> = { readonly [K in keyof F]: ValueOf<F[K]> };

/** A parameter block: a WGSL uniform struct or a WASM parameter block, laid out once. */
export interface Block<F extends Fields = Fields> {
  /** lowerCamel: the WGSL uniform variable; `Name` + `Params` is the struct / AssemblyScript namespace */
  readonly name: string;
  readonly struct: string;
  readonly fields: F;
  /** byte offset of each field: WGSL's uniform layout (4-byte scalars, 16-byte aligned lists) */
  readonly offsets: { readonly [K in keyof F]: number };
  readonly bytes: number;
  /** the fields in order, for packing without walking object keys (a kernel call packs one block) */
  readonly layout: ReadonlyArray<{ readonly field: keyof F & string; readonly type: FieldType; readonly offset: number }>;
}

const listTypes: ReadonlySet<FieldType> = new Set(['u32x8', 'i32x8']);
const LIST = 8;

export function block<const F extends Fields>(name: string, fields: F): Block<F> {
  const offsets: Record<string, number> = {};
  let at = 0;
  for (const [field, type] of Object.entries(fields)) {
    if (listTypes.has(type)) at = Math.ceil(at / 16) * 16;
    offsets[field] = at;
    at += listTypes.has(type) ? 4 * LIST : 4;
  }
  const struct = `${name[0].toUpperCase()}${name.slice(1)}Params`;
  const layout = Object.entries(fields).map(([field, type]) => ({ field, type, offset: offsets[field] }));
  return { name, struct, fields, offsets: offsets as Block<F>['offsets'], bytes: Math.max(16, Math.ceil(at / 16) * 16), layout };
}

/** Writes `values` into `view` at byte `base`, field by field; rejects what the field type cannot hold. */
export function pack<F extends Fields>(b: Block<F>, values: Values<F>, view: DataView, base: number): void {
  for (let i = 0; i < b.layout.length; i++) {
    const { field, type, offset } = b.layout[i];
    const at = base + offset;
    const v = values[field];
    if (typeof v !== 'number') {
      if (v.length > LIST) throw new Error(`${b.struct}.${field}: rank ${v.length} is above the ${LIST} the kernels take`);
      for (let k = 0; k < LIST; k++) view.setInt32(at + 4 * k, v[k] ?? 0, true);
    } else if (type === 'f32') view.setFloat32(at, v, true);
    else if (type === 'i32') view.setInt32(at, v, true);
    else {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${b.struct}.${field}: ${v} is not a ${type}`);
      view.setUint32(at, v, true);
    }
  }
}

/** Named op codes: `code(op)` in TS, `PREFIX_OP` constants in WGSL and AssemblyScript. */
export interface OpCodes<Op extends string> {
  readonly prefix: string;
  readonly ops: readonly Op[];
  code(op: Op): number;
  /** the WGSL / AssemblyScript constant of `op` */
  constant(op: Op): string;
}

export function opCodes<const Op extends string>(prefix: string, ops: readonly Op[]): OpCodes<Op> {
  const codes = new Map<string, number>(ops.map((op, i) => [op, i]));
  const constant = (op: string) => `${prefix}_${op.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  return {
    prefix, ops, constant,
    code(op) {
      const c = codes.get(op);
      if (c === undefined) throw new Error(`${prefix}: unknown op '${op}'`);
      return c;
    },
  };
}

/** One entry point: its uniform block and its storage bindings, by name, inputs read-only. */
export interface EntrySpec {
  readonly uniforms: Block;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** What a dispatch of entry `E` names: every binding and uniform field, nothing positional. */
export interface EntryCall<E extends EntrySpec> {
  readonly inputs: { readonly [K in E['inputs'][number]]: GpuBinding };
  readonly outputs: { readonly [K in E['outputs'][number]]: GpuBinding };
  readonly uniforms: Values<E['uniforms']['fields']>;
  readonly key?: GpuDispatch['key'];
  /** the tile shape of a template instance (`FamilyOptions.template`) */
  readonly consts?: GpuDispatch['consts'];
  readonly workgroups: GpuDispatch['workgroups'];
}

/** What a family declares besides its entry points and op codes. */
export interface FamilyOptions {
  /** Storage bindings read as `array<vec4f>` (aligned four-wide loads) rather than `array<f32>`. */
  readonly vec4?: readonly string[];
  /**
   * A template file `shaders/<template>.wgsl` appended after the family file, whose entry points
   * reach memory only through hooks the family defines (the GEMM template, shaders/gemm.wgsl).
   */
  readonly template?: string;
}

/**
 * A WGSL family file `shaders/<name>.wgsl` with its declared entry points. Every storage binding
 * name gets one binding number in the family (in order of first appearance), so a name means the
 * same buffer in every entry point.
 */
export class ShaderFamily<E extends Readonly<Record<string, EntrySpec>>> implements ShaderSource {
  readonly #bindings = new Map<string, { binding: number; write: boolean }>();

  constructor(
    readonly name: string,
    readonly entries: E,
    readonly codes: readonly OpCodes<string>[] = [],
    readonly options: FamilyOptions = {},
  ) {
    let next = 1;
    for (const [entry, spec] of Object.entries(entries)) {
      for (const [names, write] of [[spec.inputs, false], [spec.outputs, true]] as const) {
        for (const name of names) {
          const had = this.#bindings.get(name);
          if (!had) this.#bindings.set(name, { binding: next++, write });
          else if (had.write !== write) {
            throw new Error(`shaders/${this.name}.wgsl: '${name}' is ${write ? 'written' : 'read-only'} in ${entry} but ${write ? 'read-only' : 'written'} in another entry; give the two buffers different names`);
          }
        }
      }
      const same = Object.values(entries).find((other) => other.uniforms.name === spec.uniforms.name && other.uniforms !== spec.uniforms);
      if (same && JSON.stringify(same.uniforms.fields) !== JSON.stringify(spec.uniforms.fields)) {
        throw new Error(`shaders/${this.name}.wgsl: two different uniform blocks are named '${spec.uniforms.name}'`);
      }
    }
  }

  get template(): string | undefined {
    return this.options.template;
  }

  /** The dispatch of `entry`, bindings in declaration order with their binding numbers. */
  dispatch<K extends keyof E & string>(entry: K, call: EntryCall<E[K]>): GpuDispatch {
    const spec = this.entries[entry];
    const inputs = call.inputs as Readonly<Record<string, GpuBinding>>;
    const outputs = call.outputs as Readonly<Record<string, GpuBinding>>;
    return {
      shader: this, entry, key: call.key, consts: call.consts, workgroups: call.workgroups,
      inputs: spec.inputs.map((n) => inputs[n]),
      outputs: spec.outputs.map((n) => outputs[n]),
      bindings: [...spec.inputs, ...spec.outputs].map((n) => this.#bindings.get(n)!.binding),
      uniforms: { bytes: spec.uniforms.bytes, write: (view, at) => pack(spec.uniforms, call.uniforms as Values<Fields>, view, at) },
    };
  }

  preamble(): string {
    const lines = [`// Generated from the declarations in src/kernels (src/kernels/spec.ts).`, wgslHash32()];
    for (const c of this.codes) c.ops.forEach((op, i) => lines.push(`const ${c.constant(op)}: u32 = ${i}u;`));
    const blocks = new Map<string, Block>();
    for (const spec of Object.values(this.entries)) blocks.set(spec.uniforms.name, spec.uniforms);
    for (const b of blocks.values()) {
      lines.push(`struct ${b.struct} {`, ...Object.entries(b.fields).map(([f, t]) => `  ${f}: ${wgslType(t)},`), '}');
      lines.push(`@group(0) @binding(0) var<uniform> ${b.name}: ${b.struct};`);
    }
    for (const [name, { binding, write }] of this.#bindings) {
      const element = this.options.vec4?.includes(name) ? 'vec4f' : 'f32';
      lines.push(`@group(0) @binding(${binding}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<${element}>;`);
    }
    return lines.join('\n');
  }

  check(source: string): void {
    for (const c of this.codes) {
      for (const op of c.ops) {
        if (!new RegExp(`\\bcase ${c.constant(op)}\\b`).test(source)) {
          throw new Error(`shaders/${this.name}.wgsl has no \`case ${c.constant(op)}\`: op '${op}' is declared but has no WGSL line`);
        }
      }
    }
  }
}

export function shaderFamily<const E extends Readonly<Record<string, EntrySpec>>>(
  name: string, entries: E, codes: readonly OpCodes<string>[] = [], options: FamilyOptions = {},
): ShaderFamily<E> {
  return new ShaderFamily(name, entries, codes, options);
}

function wgslType(t: FieldType): string {
  if (t === 'f32') return 'f32';
  if (t === 'i32') return 'i32';
  if (listTypes.has(t)) return 'array<vec4u, 2>';
  return 'u32';
}

/** lowbias32 in WGSL, from the steps src/kernels/random.ts declares. */
function wgslHash32(): string {
  const body = hash32Steps.map(([op, k]) => (op === 'xorshift' ? `  x ^= x >> ${k}u;` : `  x *= 0x${k.toString(16)}u;`));
  return ['fn hash32(v: u32) -> u32 {', '  var x = v;', ...body, '  return x;', '}'].join('\n');
}

/** AssemblyScript for the WASM side: op-code constants, a reader per field, hash32 (scalar and four lanes). */
export function assemblyScript(blocks: readonly Block[], codes: readonly OpCodes<string>[]): string {
  const out = [
    '// Generated by scripts/gen-assembly.ts from the declarations in src/ (src/kernels/spec.ts). Not committed.',
    '',
  ];
  for (const c of codes) c.ops.forEach((op, i) => out.push(`export const ${c.constant(op)}: i32 = ${i};`));
  for (const b of blocks) {
    out.push('', `/** ${b.name}: ${Object.keys(b.fields).join(', ')} */`, `export namespace ${b.struct} {`);
    for (const [field, type] of Object.entries(b.fields)) {
      const at = b.offsets[field];
      out.push('  // @ts-ignore: decorator');
      if (listTypes.has(type)) out.push(`  @inline export function ${field}(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2), ${at}); }`);
      else {
        const t = type === 'ptr' ? 'usize' : type;
        const load = type === 'ptr' ? 'u32' : type;
        out.push(`  @inline export function ${field}(p: usize): ${t} { return load<${load}>(p, ${at}); }`);
      }
    }
    out.push('}');
  }
  const scalar = hash32Steps.map(([op, k]) => (op === 'xorshift' ? `  x ^= x >> ${k};` : `  x *= 0x${k.toString(16)};`));
  const lanes = hash32Steps.map(([op, k]) => (op === 'xorshift' ? `  x = v128.xor(x, i32x4.shr_u(x, ${k}));` : `  x = i32x4.mul(x, i32x4.splat(0x${k.toString(16)}));`));
  out.push('', '/** lowbias32, as src/kernels/random.ts declares it. */', 'export function hash32(v: u32): u32 {', '  let x = v;', ...scalar, '  return x;', '}');
  out.push('', '/** hash32 of four u32 lanes. */', '// @ts-ignore: decorator', '@inline export function hash32x4(v: v128): v128 {', '  let x = v;', ...lanes, '  return x;', '}', '');
  return out.join('\n');
}
