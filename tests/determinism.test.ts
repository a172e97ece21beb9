/**
 * Issue 14, item 13: a seed fixes the result on any number of threads. The WASM backend's
 * threads claim chunks as they go; a reduction whose partial sums followed the threads (the
 * convolution's weight gradient) summed in a different order on 1 and 2 threads, and the
 * weights drifted apart. Workers are forced to split every kernel (minParallelWork 0).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { limit, loadMnist } from '../src/data/mnist.ts';
import { preset } from '../src/layers/presets.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { setBackend } from '../src/tensor/context.ts';
import { fit } from '../src/train/fit.ts';

const backends: WasmBackend[] = [];
afterAll(() => backends.forEach((b) => b.dispose()));

/** The cnn's weights after a few steps of seed 3 on `threads` threads, as raw bytes per tensor. */
async function weightsAfterSteps(threads: number): Promise<Record<string, Buffer>> {
  const backend = new WasmBackend({ threads, minParallelWork: 0 });
  backends.push(backend);
  setBackend(backend);
  const model = preset('cnn').build(3);
  // 3 steps of 48 and one of 16: an odd-sized last batch too.
  await fit(model, new Optimizer('adam'), limit(loadMnist().train, 160), { epochs: 1, batchSize: 48, seed: 3 });
  const out: Record<string, Buffer> = {};
  for (const [name, t] of Object.entries(await model.stateDict())) out[name] = Buffer.from(t.data.buffer.slice(0));
  model.dispose();
  return out;
}

describe('thread-count independence (issue 14, item 13)', () => {
  it('the same seed gives bit-identical cnn weights on 1 and 2 threads', async () => {
    const one = await weightsAfterSteps(1);
    const two = await weightsAfterSteps(2);
    const differing = Object.keys(one).filter((k) => !one[k].equals(two[k]));
    expect(differing).toEqual([]);
    expect(Object.keys(two).sort()).toEqual(Object.keys(one).sort());
  });
});
