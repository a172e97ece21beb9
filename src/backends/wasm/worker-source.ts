/**
 * The worker's program, as source text: `new Worker(code, { eval: true })` runs it the same way
 * under tsx, vitest and plain node, with no loader to configure. It instantiates the kernels on
 * the shared memory, sleeps on the generation word, and on each new job claims chunks until none
 * are left (the claiming protocol is described in pool.ts, the control words in `Ctl`).
 */
export const workerSource = String.raw`
const { workerData } = require('node:worker_threads');
const { module, memory, control, tid, names, spin, layout: L } = workerData;
const ctl = new Int32Array(control);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
let seen = Atomics.load(ctl, L.Gen);
for (;;) {
  let gen = Atomics.load(ctl, L.Gen);
  for (let i = 0; gen === seen && i < spin; i++) gen = Atomics.load(ctl, L.Gen);
  while (gen === seen) {
    Atomics.wait(ctl, L.Gen, seen);
    gen = Atomics.load(ctl, L.Gen);
  }
  seen = gen;
  if (Atomics.load(ctl, L.Quit)) break;
  const fn = fns[ctl[L.Fn]];
  const params = ctl[L.Params];
  const chunks = ctl[L.Chunks];
  const chunkSlot = ctl[L.ChunkSlot] === 1;
  const scratch = (ctl[L.Scratch] >>> 0) + tid * ctl[L.Stride];
  for (;;) {
    const c = Atomics.load(ctl, L.Claim);
    if ((c >>> 16) !== gen || (c & 0xffff) >= chunks) break;
    if (Atomics.compareExchange(ctl, L.Claim, c, c + 1) !== c) continue;
    const at = L.Ranges + 2 * (c & 0xffff);
    try {
      fn(params, ctl[at], ctl[at + 1], scratch, chunkSlot ? c & 0xffff : tid);
    } catch (e) {
      Atomics.store(ctl, L.Failed, tid);
      console.error('wgnn wasm worker ' + tid + ':', e);
    }
    if (Atomics.add(ctl, L.Done, 1) + 1 === chunks) Atomics.notify(ctl, L.Done);
  }
}
`;
