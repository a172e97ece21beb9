/**
 * Writes assembly/generated/params.ts, the AssemblyScript side of the kernels' declarations: a
 * reader per WASM parameter-block field, the op codes and hash32 (src/kernels/spec.ts). Run by
 * `npm run build:wasm` before asc; the output is not committed. Fails, naming the op, when
 * assembly/elementwise.ts lacks a case for a unary op declared to run in WASM.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { assemblyScript } from '../src/kernels/spec.ts';
import { missingAssemblyCases, wasmCodes, wasmConvGeometry, wasmParams } from '../src/backends/wasm/kernels.ts';

const root = new URL('../', import.meta.url);
const missing = missingAssemblyCases(readFileSync(new URL('assembly/elementwise.ts', root), 'utf8'));
if (missing.length > 0) {
  console.error(missing.map((m) => `gen-assembly: ${m}`).join('\n'));
  process.exit(1);
}
mkdirSync(new URL('assembly/generated/', root), { recursive: true });
writeFileSync(new URL('assembly/generated/params.ts', root), assemblyScript([...Object.values(wasmParams), wasmConvGeometry], wasmCodes));
