/**
 * Loads the compiled kernels, built from assembly/ by `npm run build:wasm` (which `npm ci` runs
 * through `prepare`) in two variants: build/wgnn-relaxed.wasm uses relaxed SIMD's fused
 * multiply-add (a 6×8 GEMM tile, about 1.4× faster), build/wgnn.wasm plain SIMD (4×8). Each is
 * compiled once per process and shared by every backend and worker.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
export const wasm = globalThis.WebAssembly;
const files = { relaxed: 'wgnn-relaxed.wasm', simd: 'wgnn.wasm' };
const compiled = new Map();
function bytesOf(variant) {
    const path = fileURLToPath(new URL(`../../../build/${files[variant]}`, import.meta.url));
    if (!existsSync(path))
        throw new Error(`wasm backend: ${path} is missing; build it with \`npm run build:wasm\` (npm ci runs it)`);
    return readFileSync(path);
}
/**
 * Relaxed SIMD when the engine takes it: on by default from V8 11.4 (Node 22); Node 20's V8 has
 * it behind a flag, which is process-wide and only widens what validates, so it is set here.
 */
function relaxedWorks(bytes) {
    if (wasm.validate(bytes))
        return true;
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    return wasm.validate(bytes);
}
/** The kernels module: `prefer` 'relaxed' falls back to plain SIMD where relaxed SIMD is missing. */
export function kernelModule(prefer) {
    let variant = prefer;
    if (variant === 'relaxed' && !compiled.has('relaxed')) {
        const bytes = bytesOf('relaxed');
        if (relaxedWorks(bytes))
            compiled.set('relaxed', new wasm.Module(bytes));
        else
            variant = 'simd';
    }
    if (!compiled.has(variant))
        compiled.set(variant, new wasm.Module(bytesOf(variant)));
    return { module: compiled.get(variant), variant };
}
