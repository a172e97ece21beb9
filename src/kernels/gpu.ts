import type { Storage } from '../tensor/storage.ts';
import type { GemmTile, TileLimits } from './gemm-tiles.ts';

/**
 * The contract between a kernel's `gpu` function and the WebGPU backend. Kernels never see a
 * GPUBuffer: they describe dispatches (shader family, entry point, specialisation key, bindings,
 * uniforms, workgroup counts) and the backend records them into its command encoder. This file
 * imports nothing from Dawn, so the kernel files that use it load without a GPU.
 */

/** A tensor's memory on the WebGPU backend. */
export type GpuStorage = Storage;

/** A window of a storage, in elements: kernels whose whole binding would pass the limit split. */
export interface GpuSlice {
  readonly storage: GpuStorage;
  /** A multiple of `limits.offsetAlignment`. */
  readonly offset: number;
  readonly length: number;
}

export type GpuBinding = GpuStorage | GpuSlice;

/** A family file with declarations generated in front of it (src/kernels/spec.ts `ShaderFamily`). */
export interface ShaderSource {
  /** The family file `shaders/<name>.wgsl`. */
  readonly name: string;
  /** WGSL put between shaders/common.wgsl and the family file: op codes, structs, bindings. */
  preamble(): string;
  /** Throws, saying what is missing, when the family file does not implement its declarations. */
  check(source: string): void;
  /** A template file `shaders/<template>.wgsl` appended after the family file (the GEMM template). */
  readonly template?: string;
}

/** A uniform block laid out by field name: `write` puts its `bytes` at byte `at` of `view`. */
export interface PackedUniforms {
  readonly bytes: number;
  write(view: DataView, at: number): void;
}

export interface GpuDispatch {
  /** A declared family (src/kernels/spec.ts `ShaderFamily.dispatch` builds the whole dispatch). */
  readonly shader: ShaderSource;
  readonly entry: string;
  /** Pipeline-overridable constants (WGSL `override`): op selectors, transposes, bias, variants. */
  readonly key?: Readonly<Record<string, number | boolean>>;
  /** Module-scope constants: the tile shape of a GEMM-template instance (see gemm-tiles.ts). */
  readonly consts?: Readonly<Record<string, number>>;
  /** Bound read-only (binding 0 is the uniform block). */
  readonly inputs: readonly GpuBinding[];
  /** Bound read-write. */
  readonly outputs: readonly GpuBinding[];
  /** The binding numbers of inputs then outputs, as the family numbers its binding names. */
  readonly bindings: readonly number[];
  readonly uniforms: PackedUniforms;
  /**
   * A count is folded into x and y (Dawn stops at 65,535 per dimension; shaders rebuild the linear
   * index with `flatGroup`); a triple is used as it is.
   */
  readonly workgroups: number | readonly [number, number, number];
}

export interface GpuLimits extends TileLimits {
  /** In elements (float32). */
  readonly maxBindingLength: number;
  /** In elements: where a `GpuSlice` may start. */
  readonly offsetAlignment: number;
  readonly maxWorkgroupsPerDimension: number;
  readonly maxStorageBuffersPerStage: number;
}

export interface GpuContext {
  readonly limits: GpuLimits;
  /** About how many workgroups keep the adapter busy: split-K reductions split up to it. */
  readonly parallelism: number;
  /**
   * The tile for one GEMM shape of a GEMM-template instance (`op` names the instance: the same
   * m×n×k may want different tiles as a matmul and as a convolution): timed on this adapter
   * once where the backend tunes, else a deterministic default that fits the adapter's limits.
   */
  gemmTile(op: string, m: number, n: number, k: number): GemmTile;
  dispatch(d: GpuDispatch): void;
  /** Device memory for intermediate passes; returned to the pool once this kernel's work is submitted. */
  scratch(length: number): GpuStorage;
}

/** Records the dispatches of one kernel on the WebGPU backend. */
export type GpuKernel<P> = (ctx: GpuContext, inputs: readonly GpuStorage[], outputs: readonly GpuStorage[], params: P) => void;

export const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/**
 * Splits [0, length) into chunks no longer than the binding limit, each starting on the offset
 * alignment: contiguous kernels (elementwise maps, optimizer updates) run chunk by chunk.
 */
export function chunks(limits: GpuLimits, length: number): { offset: number; length: number }[] {
  const step = Math.floor(limits.maxBindingLength / limits.offsetAlignment) * limits.offsetAlignment;
  const out: { offset: number; length: number }[] = [];
  for (let offset = 0; offset < length; offset += step) out.push({ offset, length: Math.min(step, length - offset) });
  return out;
}

/** A window of `s`, or `s` itself when the window is all of it. */
export function slice(s: GpuStorage, offset: number, length: number): GpuBinding {
  return offset === 0 && length === s.length ? s : { storage: s, offset, length };
}
