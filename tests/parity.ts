/**
 * Runs one kernel case on a backend and on the float64 reference and compares every element.
 * Shared by the WGSL and the fast-CPU parity suites.
 */
import { ReferenceBackend } from '../src/backends/reference.ts';
import type { Kernel } from '../src/kernels/kernel.ts';
import { Rng } from '../src/kernels/random.ts';
import type { Backend } from '../src/tensor/backend.ts';
import type { Fill, KernelCase, Slot } from './kernel-cases.ts';

export function fillValues(length: number, fill: Fill, rng: Rng): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    if (typeof fill === 'object') out[i] = rng.int(fill.labels);
    else {
      const magnitude = 0.1 + 0.9 * rng.next();
      out[i] = fill === 'positive' || rng.next() < 0.5 ? magnitude : -magnitude;
    }
  }
  return out;
}

/** Float32-rounded copy: both sides then start from exactly the same numbers. */
const asF32 = (a: Float64Array) => Float64Array.from(Float32Array.from(a));

export interface ParityResult {
  /** max over elements of |got − want| / max(1, |want|) */
  maxError: number;
  where: string;
}

export async function runParity<P>(backend: Backend, kernel: Kernel<P>, c: KernelCase<P>, seed = 7): Promise<ParityResult> {
  const rng = new Rng(seed);
  const inputs = c.inputs.map((s) => asF32(fillValues(s.length, s.fill ?? 'signed', rng)));
  const targets = c.outputs.map((o) => (typeof o === 'number' ? null : asF32(fillValues((o as Slot).length, (o as Slot).fill ?? 'signed', rng))));
  const lengths = c.outputs.map((o) => (typeof o === 'number' ? o : o.length));

  const reference = new ReferenceBackend('float64');
  const refOut = lengths.map((n, i) => {
    const s = reference.alloc(n);
    reference.write(s, targets[i] ?? new Float64Array(n).fill(Number.NaN));
    return s;
  });
  reference.run(kernel, inputs.map((d) => { const s = reference.alloc(d.length); reference.write(s, d); return s; }), refOut, c.params);

  const inStorages = inputs.map((d) => { const s = backend.alloc(d.length); backend.write(s, d); return s; });
  const outStorages = lengths.map((n, i) => {
    const s = backend.alloc(n);
    backend.write(s, targets[i] ?? new Float32Array(n).fill(Number.NaN));
    return s;
  });
  backend.run(kernel, inStorages, outStorages, c.params);
  let worst: ParityResult = { maxError: 0, where: '' };
  for (let o = 0; o < lengths.length; o++) {
    const got = await backend.read(outStorages[o]);
    const want = await reference.read(refOut[o]);
    for (let i = 0; i < want.length; i++) {
      const err = Number.isFinite(got[i]) ? Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])) : Infinity;
      if (!(err <= worst.maxError)) worst = { maxError: err, where: `output ${o}[${i}]: got ${got[i]}, want ${want[i]}` };
    }
  }
  for (const s of [...inStorages, ...outStorages]) backend.free(s);
  return worst;
}
