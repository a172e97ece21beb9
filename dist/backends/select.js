import { CpuBackend } from "./cpu.js";
export const backendNames = ['auto', 'cpu', 'webgpu', 'reference'];
async function fastCpu() {
    const { WasmBackend } = await import("./wasm/backend.js");
    return new WasmBackend();
}
export async function selectBackend(name) {
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
            const { WebGpuBackend } = await import("./webgpu/backend.js");
            const backend = await WebGpuBackend.create();
            return { backend, reason: backend.description };
        }
        case 'auto': {
            const { WebGpuBackend } = await import("./webgpu/backend.js");
            let why;
            try {
                const gpu = await WebGpuBackend.create();
                if (!gpu.software)
                    return { backend: gpu, reason: `${gpu.description} (auto: a hardware GPU adapter was found)` };
                why = `the only WebGPU adapter is a software one (${gpu.description.replace('webgpu: ', '')}), slower than the CPU backend`;
                gpu.dispose();
            }
            catch (e) {
                why = e.message;
            }
            const backend = await fastCpu();
            return { backend, reason: `${backend.description} (auto: ${why})` };
        }
        default:
            throw new Error(`unknown backend "${name}": expected one of ${backendNames.join(', ')}`);
    }
}
