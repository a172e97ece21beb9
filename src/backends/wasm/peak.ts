/**
 * The measured roofline of the WASM backend: assembly/peak.ts's register-only multiply-add loop
 * on every thread of the backend's pool at once, one chunk a thread. The bench times it beside the
 * kernels; this module only runs it and returns each chunk's sum of lanes (a check that it ran).
 */
import { wasmParams } from './kernels.ts';
import type { WasmBackend } from './backend.ts';
import type { WasmStorage } from './heap.ts';

/** f32x4 lanes × chains × 2 flops (a multiply and an add) in one iteration of the loop. */
export const PEAK_FLOPS_PER_ITERATION = 4 * 12 * 2;

/**
 * Runs `iterations` steps of the 12 chains c ← c·a + b (chain i starting at i in its 4 lanes) on
 * each of `chunks` chunks (default: one a thread), claimed by the pool's threads; returns each
 * chunk's sum of its 48 lanes.
 */
export function fmaPeak(backend: WasmBackend, iterations: number, a: number, b: number, chunks = backend.threads): Float32Array {
  if (!Number.isInteger(iterations) || iterations < 0 || iterations > 0x7fffffff) throw new Error(`fmaPeak: iterations must be an integer in [0, 2³¹), got ${iterations}`);
  const sums = backend.alloc(chunks) as WasmStorage;
  try {
    backend.parallelChunks('fmaPeak', backend.setParams(wasmParams.fmaPeak, { iterations, a, b, sums: sums.ptr }), chunks, chunks);
    return backend.view(sums).slice();
  } finally {
    backend.free(sums);
  }
}
