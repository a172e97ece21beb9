/**
 * Chooses the device for a whole run, and says which and why. No per-op fallback: a run is
 * entirely on one backend.
 */
import type { Backend } from '../tensor/backend.ts';
import { CpuBackend } from './cpu.ts';

export const backendNames = ['auto', 'cpu', 'webgpu', 'reference'] as const;
export type BackendName = (typeof backendNames)[number];

export interface Selected {
  backend: Backend;
  /** one line for the user: what runs and, for auto, why */
  reason: string;
}

async function fastCpu(): Promise<Backend> {
  const { WasmBackend } = await import('./wasm/backend.ts');
  return new WasmBackend();
}

export async function selectBackend(name: BackendName): Promise<Selected> {
  switch (name) {
    case 'reference': {
      const backend = new CpuBackend();
      return { backend, reason: backend.description };
    }
    case 'cpu': {
      const backend = await fastCpu();
      return { backend, reason: backend.description };
    }
    case 'webgpu': {
      const { WebGpuBackend } = await import('./webgpu/backend.ts');
      const backend = await WebGpuBackend.create();
      return { backend, reason: backend.description };
    }
    case 'auto': {
      const { WebGpuBackend } = await import('./webgpu/backend.ts');
      let why: string;
      try {
        const gpu = await WebGpuBackend.create();
        if (!gpu.software) return { backend: gpu, reason: `${gpu.description} (auto: a hardware GPU adapter was found)` };
        why = `the only WebGPU adapter is a software one (${gpu.description.replace('webgpu: ', '')}), slower than the CPU backend`;
        gpu.dispose();
      } catch (e) {
        why = (e as Error).message;
      }
      const backend = await fastCpu();
      return { backend, reason: `${backend.description} (auto: ${why})` };
    }
    default:
      throw new Error(`unknown backend "${name}": expected one of ${backendNames.join(', ')}`);
  }
}
