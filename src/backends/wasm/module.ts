/**
 * Loads the compiled kernels, built from assembly/ by `npm run build:wasm` (which `npm ci` runs
 * through `prepare`) in two variants: build/wgnn-relaxed.wasm uses relaxed SIMD's fused
 * multiply-add (a 6×8 GEMM tile, about 1.4× faster), build/wgnn.wasm plain SIMD (4×8). Each is
 * compiled once per process and shared by every backend and worker.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/**
 * The part of the WebAssembly JS API used here, typed locally: the project's `lib` (ES2023,
 * no DOM) does not declare the global, and a second global declaration would clash with one
 * that a future lib or @types/node adds.
 */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: { new (bytes: Uint8Array): WasmModule; exports(m: WasmModule): Array<{ name: string; kind: string }> };
  Instance: new (m: WasmModule, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
}
export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type SimdVariant = 'relaxed' | 'simd';
const files: Record<SimdVariant, string> = { relaxed: 'wgnn-relaxed.wasm', simd: 'wgnn.wasm' };
const compiled = new Map<SimdVariant, WasmModule>();

function bytesOf(variant: SimdVariant): Uint8Array {
  const path = fileURLToPath(new URL(`../../../build/${files[variant]}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`wasm backend: ${path} is missing; build it with \`npm run build:wasm\` (npm ci runs it)`);
  return readFileSync(path);
}

/**
 * Relaxed SIMD when the engine takes it: on by default from V8 11.4 (Node 22); Node 20's V8 has
 * it behind a flag, which is process-wide and only widens what validates, so it is set here.
 */
function relaxedWorks(bytes: Uint8Array): boolean {
  if (wasm.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasm.validate(bytes);
}

/** The kernels module: `prefer` 'relaxed' falls back to plain SIMD where relaxed SIMD is missing. */
export function kernelModule(prefer: SimdVariant): { module: WasmModule; variant: SimdVariant } {
  let variant = prefer;
  if (variant === 'relaxed' && !compiled.has('relaxed')) {
    const bytes = bytesOf('relaxed');
    if (relaxedWorks(bytes)) compiled.set('relaxed', new wasm.Module(bytes));
    else variant = 'simd';
  }
  if (!compiled.has(variant)) compiled.set(variant, new wasm.Module(bytesOf(variant)));
  return { module: compiled.get(variant)!, variant };
}
