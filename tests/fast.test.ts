/**
 * The `fast` preset is the public one-epoch recipe: its layers, its input standardisation, and the
 * training settings `wgnn train --model fast` takes when the command line leaves them out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { preset } from '../src/layers/presets.ts';
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

describe('wgnn train --model fast', () => {
  it('takes the recipe\'s settings unless the command line gives them', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wgnn-fast-')), 'run');
    const r = spawnSync(process.execPath, ['bin/wgnn.mjs', 'train', '--model', 'fast', '--limit', '300', '--batch-size', '128', '--backend', 'cpu', '--no-test', '--out', out, '--json'], {
      encoding: 'utf8', timeout: 120_000, env: { ...process.env, WGNN_THREADS: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Data: 300 training, 0 validation/);
    const settings = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).training.settings;
    expect(settings).toMatchObject({
      model: 'fast', epochs: 1, batchSize: 128, validationSplit: 0, optimizer: 'adam', lr: 0.01, beta1: 0.7, beta2: 0.9, eps: 1e-8, lrSchedule: 'one-cycle', shuffle: false,
    });
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as Array<{ lr: number }>;
    // one epoch of ⌈300/128⌉ = 3 steps: the last step ran at one-cycle's final rate, 0.01/25/1e4
    expect(history).toHaveLength(1);
    expect(history[0].lr).toBeCloseTo(4e-8, 12);
  }, 150_000);
});
