/**
 * The training loop learns, on the reference backend's plain loops: an end-to-end run (3 epochs
 * of the MLP, about 8 s), kept out of the unit tier. The loop's other promises are in
 * tests/model.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { setBackend } from '../src/tensor/context.ts';
import { preset } from '../src/layers/presets.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { evaluate, fit } from '../src/train/fit.ts';
import { loadMnist, limit } from '../src/data/mnist.ts';

setBackend(new ReferenceBackend());

describe('training', () => {
  it('an MLP learns: 3 epochs on 2,000 images beat 85% on 1,000 test images', async () => {
    const mnist = loadMnist();
    const model = preset('mlp').build(3);
    const history = await fit(model, new Optimizer('adam'), limit(mnist.train, 2000), { epochs: 3, batchSize: 32, seed: 3 });
    expect(history[2].loss).toBeLessThan(history[0].loss);
    const test = await evaluate(model, limit(mnist.test, 1000));
    expect(test.accuracy).toBeGreaterThan(0.85);
  }, 60_000);
});
