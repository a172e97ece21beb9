/**
 * The `fast` preset is the public one-epoch recipe: its layers, its initialisation and its input
 * standardisation (tests/fast-cli.test.ts: the training settings the command line takes for it).
 */
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { preset, presetTraining } from '../src/layers/presets.ts';
import { Sequential } from '../src/layers/sequential.ts';
import { Standardize } from '../src/layers/simple.ts';
import { setBackend } from '../src/tensor/context.ts';
import { Tensor } from '../src/tensor/tensor.ts';

setBackend(new ReferenceBackend());

describe('fast preset', () => {
  it('is standardize → conv 24 5×5 → pool → ReLU → conv 32 3×3 → pool → ReLU → flatten 800 → dense 256 ReLU → dense 10', () => {
    const model = preset('fast').build(0);
    expect(model.config().layers).toEqual([
      { type: 'standardize', mean: 0.1307, std: 0.3081 },
      { type: 'conv2d', filters: 24, kernelSize: 5, padding: 'valid', stride: 1, activation: null, useBias: true, init: 'torch' },
      { type: 'maxpool2d', size: 2 },
      { type: 'activation', activation: 'relu' },
      { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'valid', stride: 1, activation: null, useBias: true, init: 'torch' },
      { type: 'maxpool2d', size: 2 },
      { type: 'activation', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 256, activation: 'relu', useBias: true, init: 'torch' },
      { type: 'dense', units: 10, activation: null, useBias: true, init: 'torch' },
    ]);
    expect(model.outputShapes[7]).toEqual([800]);
    // 24·25+24, 32·24·9+32, 800·256+256, 256·10+10
    expect(model.countParams().total).toBe(624 + 6_944 + 205_056 + 2_570);
    model.dispose();
  });

  it('starts as PyTorch does: weights and bias uniform in ±1/√fan_in', async () => {
    const model = preset('fast').build(3);
    for (const [name, fanIn] of [['conv2d.weight', 25], ['conv2d.bias', 25], ['conv2d_1.weight', 216], ['dense.weight', 800], ['dense_1.bias', 256]] as const) {
      const values = await model.parameters().find((p) => p.fullName === name)!.tensor.read();
      const bound = 1 / Math.sqrt(fanIn);
      let largest = 0;
      for (const v of values) largest = Math.max(largest, Math.abs(v));
      expect(largest, name).toBeLessThanOrEqual(bound);
      // filled out to near the bound, not zero
      expect(largest, name).toBeGreaterThan(0.8 * bound);
    }
    model.dispose();
  });

  it('fast-shuffle is the same network, trained with a shuffle', () => {
    expect(preset('fast-shuffle').config()).toEqual(preset('fast').config());
    expect(presetTraining['fast-shuffle']).toEqual({ ...presetTraining.fast, shuffle: true });
    expect(presetTraining.fast).toMatchObject({ shuffle: false, epochs: 1, batchSize: 256, lrSchedule: 'one-cycle' });
  });

  it('standardizes only when asked, in any preset', () => {
    expect(preset('fast', { standardize: false }).layers[0]).not.toBeInstanceOf(Standardize);
    expect(preset('mlp').layers[0]).not.toBeInstanceOf(Standardize);
    expect(preset('mlp', { standardize: true }).layers[0]).toBeInstanceOf(Standardize);
  });
});

describe('Standardize', () => {
  it('computes (x − mean) / std and survives a config round trip', async () => {
    const model = Sequential.fromConfig({ inputShape: [3], layers: [new Standardize(0.1307, 0.3081).config()] }).build(0);
    const y = await model.predictLogits(Tensor.from([0, 0.1307, 1], [1, 3])).read();
    expect(y[0]).toBeCloseTo(-0.1307 / 0.3081, 6);
    expect(y[1]).toBeCloseTo(0, 6);
    expect(y[2]).toBeCloseTo((1 - 0.1307) / 0.3081, 6);
  });

  it('rejects a std that is not positive, naming the field', () => {
    expect(() => Sequential.fromConfig({ inputShape: [3], layers: [{ type: 'standardize', mean: 0, std: 0 }] }, 'm.json')).toThrow(/m\.json: layers\[0\]: field "std" must be positive/);
    expect(() => new Standardize(0, -1)).toThrow(/positive std/);
  });
});
