/**
 * Chooses the device for a whole run, and says which and why. No per-op fallback: a run is
 * entirely on one backend.
 */
import type { Backend } from '../tensor/backend.ts';
import { ReferenceBackend } from './reference.ts';

/**
 * `wasm`: WebAssembly SIMD kernels on all cores; `webgpu`: the WGSL kernels; `reference`: the
 * plain loops the others are tested against. `cpu` is another name for `wasm`.
 */
export const backendNames = ['auto', 'wasm', 'webgpu', 'reference', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

export interface Selected {
  backend: Backend;
  /** one line for the user: what runs and, for auto, why */
  reason: string;
}

async function wasm(): Promise<Backend> {
  const { WasmBackend } = await import('./wasm/backend.ts');
  return new WasmBackend();
}

/**
 * The WebGPU backend module, or why it cannot load: `webgpu` is an optional dependency whose
 * native `dawn.node` may be missing (an install without it) or fail to load (no binary for this
 * platform, a missing system library).
 */
async function webgpuModule(): Promise<typeof import('./webgpu/backend.ts')> {
  try {
    return await import('./webgpu/backend.ts');
  } catch (e) {
    throw new Error(`the webgpu package (Dawn's Node bindings) could not be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
}

export async function selectBackend(name: BackendName): Promise<Selected> {
  switch (name) {
    case 'reference': {
      const backend = new ReferenceBackend();
      return { backend, reason: backend.description };
    }
    case 'wasm':
    case 'cpu': {
      const backend = await wasm();
      return { backend, reason: backend.description };
    }
    case 'webgpu': {
      const { WebGpuBackend } = await webgpuModule();
      const backend = await WebGpuBackend.create();
      return { backend, reason: backend.description };
    }
    case 'auto': {
      let why: string;
      try {
        const { WebGpuBackend } = await webgpuModule();
        const gpu = await WebGpuBackend.create();
        if (!gpu.software) return { backend: gpu, reason: `${gpu.description} (auto: a hardware GPU adapter was found)` };
        why = `the only WebGPU adapter is a software one (${gpu.description.replace('webgpu: ', '')}), slower than the WebAssembly backend`;
        gpu.dispose();
      } catch (e) {
        why = (e as Error).message;
      }
      const backend = await wasm();
      return { backend, reason: `${backend.description} (auto: ${why})` };
    }
    default:
      throw new Error(`unknown backend "${name}": expected one of ${backendNames.join(', ')}`);
  }
}
