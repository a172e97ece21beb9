/**
 * module.ts for the page's bundle (src/serve/bundle.ts swaps it in): the same two builds of the
 * kernels, fetched from the server and compiled once by `loadKernels` before the backend is made,
 * since a browser has no file to read synchronously. Relaxed SIMD where the browser validates it.
 */
// Types only: the bundle resolves './module.ts' to this file, so nothing of its code may come from there.
import type { SimdVariant, WasmModule, wasm as nodeWasm } from './module.ts';

export type { SimdVariant, WasmMemory, WasmModule } from './module.ts';
export const wasm: typeof nodeWasm = (globalThis as unknown as { WebAssembly: typeof nodeWasm }).WebAssembly;

let loaded: { module: WasmModule; variant: SimdVariant } | null = null;

/** Fetches and compiles the kernels: `urls.relaxed` when the browser takes relaxed SIMD, else `urls.simd`. */
export async function loadKernels(urls: Record<SimdVariant, string>): Promise<{ module: WasmModule; variant: SimdVariant }> {
  if (loaded) return loaded;
  const bytes = async (url: string) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`wasm backend: ${url} answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const relaxed = await bytes(urls.relaxed);
  if (wasm.validate(relaxed)) loaded = { module: new wasm.Module(relaxed), variant: 'relaxed' };
  else loaded = { module: new wasm.Module(await bytes(urls.simd)), variant: 'simd' };
  return loaded;
}

/** The kernels `loadKernels` compiled; `prefer` is moot, the browser decided. */
export function kernelModule(prefer: SimdVariant): { module: WasmModule; variant: SimdVariant } {
  void prefer;
  if (!loaded) throw new Error('wasm backend: the kernels are not loaded (call loadKernels first)');
  return loaded;
}
