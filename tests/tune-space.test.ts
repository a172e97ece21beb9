/**
 * Issue 15: search-space files (the shipped ones parse; a malformed one fails in one line naming
 * the file and the field), sampling and TPE as pure functions of the seed, the median stopping
 * rule's thresholds, an unreachable Redis in one line, and a finished search extended from 4 to 6
 * trials training only the 2 new ones.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, poolRunner, type JobPool } from '../src/study/pool.ts';
import { queueRunner } from '../src/study/queue.ts';
import { discreteValues, parseSpace, readSpace, sampleConfig, trialRng, type SearchSpace } from '../src/study/space.ts';
import { openStore } from '../src/study/store.ts';
import { proposeTpe } from '../src/study/tpe.ts';
import { stoppingThresholds, tune, type Trial } from '../src/study/tune.ts';

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'wgnn-tune-space-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('search-space files', () => {
  it('the shipped spaces parse; the seeds\' one is Keras Tuner\'s space', () => {
    const seeds = readSpace('seeds');
    expect(seeds.epochs).toBe(10);
    expect(discreteValues(seeds.params.filters1)).toEqual([32, 64, 96, 128, 160, 192, 224, 256]);
    expect(seeds.params.lr).toEqual({ kind: 'loguniform', min: 1e-4, max: 1e-2 });
    const fast = readSpace('fast');
    expect(fast.params.arch).toEqual({ kind: 'fixed', value: 'digits' });
  });

  it('a malformed file fails in one line naming the file and the field', () => {
    const bad: [string, RegExp][] = [
      ['{ "format": "wgnn-space", "epochs": 2, ', /bad\.json: not valid JSON/],
      ['{ "format": "other", "epochs": 2, "params": {} }', /bad\.json: field "format" must be "wgnn-space"/],
      ['{ "format": "wgnn-space", "epochs": 0, "params": {} }', /bad\.json: field "epochs" must be an integer from 1 to 1000, got 0/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "filterz": 3 } }', /bad\.json: field "params\.filterz": unknown parameter/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "lr": { "loguniform": [0, 0.1] } } }', /bad\.json: field "params\.lr": "loguniform": (min must be above 0|the bounds)/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "lr": { "uniform": [0.1, 0.01] } } }', /field "params\.lr": "uniform": min 0\.1 is above max 0\.01/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "optimizer": { "choice": ["adam", "rmsprop"] } } }', /field "params\.optimizer": choice "rmsprop": expected one of sgd, momentum, adam, adamw/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "units": { "int": [8, 64] } } }', /field "params\.units": "int" must be \[min, max, step\]/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "schedule": { "int": [1, 2, 1] } } }', /field "params\.schedule": "int" needs a numeric parameter; use "choice"/],
      ['{ "format": "wgnn-space", "epochs": 2, "params": { "batchSize": 1e9 } }', /field "params\.batchSize": expected an integer from 1 to 65536/],
    ];
    for (const [text, re] of bad) {
      const path = write('bad.json', text);
      let message = '';
      try {
        readSpace(path);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(re);
      expect(message).not.toContain('\n');
    }
    expect(() => readSpace(join(tmp, 'missing.json'))).toThrow(/missing\.json: space file not found/);
  });
});

describe('strategies', () => {
  const space: SearchSpace = readSpace('fast');
  it('a configuration depends on the seed and its index only, and stays inside the space', () => {
    expect(sampleConfig(space, 3, 7)).toEqual(sampleConfig(space, 3, 7));
    expect(sampleConfig(space, 3, 7)).not.toEqual(sampleConfig(space, 4, 7));
    for (let i = 0; i < 50; i++) {
      const c = sampleConfig(space, 1, i);
      expect(c.lr).toBeGreaterThanOrEqual(0.003);
      expect(c.lr).toBeLessThanOrEqual(0.015);
      expect(discreteValues(space.params.filters2)).toContain(c.filters2);
    }
  });

  it('TPE proposes the same configuration for the same history, leaning to the good trials', () => {
    const obs = Array.from({ length: 12 }, (_, i) => {
      const config = sampleConfig(space, 9, i);
      // Larger first convolutions and rates near 0.006 score best.
      return { config, score: 0.9 + (config.filters1 === 32 ? 0.05 : 0) - Math.abs(Math.log(config.lr / 0.006)) * 0.01 };
    });
    const a = proposeTpe(space, obs, trialRng(9, 12, 1));
    expect(proposeTpe(space, obs, trialRng(9, 12, 1))).toEqual(a);
    const proposals = Array.from({ length: 20 }, (_, k) => proposeTpe(space, obs, trialRng(9, 100 + k, 1)));
    expect(proposals.filter((p) => p.filters1 === 32).length).toBeGreaterThan(12);
    for (const p of proposals) expect(p.lr).toBeGreaterThanOrEqual(0.003);
  });

  it('the median stopping rule waits for three curves at an epoch', () => {
    const t = (accs: number[]) => ({ curve: accs.map((a, i) => ({ epoch: i + 1, loss: 0, accuracy: 0, val_accuracy: a })) }) as unknown as Trial;
    expect(stoppingThresholds([t([0.5, 0.6, 0.7]), t([0.7]), t([0.9, 0.95])], 3)).toEqual([0.7, null]);
    expect(stoppingThresholds([t([0.5, 0.6]), t([0.7, 0.8]), t([0.9, 0.95]), t([0.1, 0.2])], 3)).toEqual([0.6, 0.7]);
  });
});

describe('bad input', () => {
  it('an unreachable Redis or a malformed URL is one clear line', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(queueRunner('redis://127.0.0.1:1')).rejects.toThrow(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    await expect(queueRunner('http://127.0.0.1:6379')).rejects.toThrow(/^--queue: expected redis:\/\/host:port/);
  });
});

describe('extending a finished search', () => {
  let pool: JobPool;
  beforeAll(async () => void (pool = await createPool('wasm', 1)));
  afterAll(async () => pool.close());
  it('from 4 to 6 trials trains only the 2 new ones, and other settings are refused', async () => {
    const space = parseSpace({ format: 'wgnn-space', epochs: 1, params: { arch: 'digits', filters1: { choice: [2, 4] }, filters2: 4, units: 8, lr: { loguniform: [1e-3, 1e-2] }, batchSize: 50 } }, 'tiny space');
    const o = { strategy: 'tpe' as const, trials: 4, maxEpochs: 1, seed: 2, validationSplit: 0.25, limit: 200, space, parallel: 2, earlyStop: true, test: false, out: join(tmp, 'extend'), runner: poolRunner(pool, 1), openStore, log: () => {} };
    const first = await tune(o);
    expect(first.ran).toBe(4);
    const more = await tune({ ...o, trials: 6 });
    expect(more.ran).toBe(2);
    expect(more.trials.map((t) => t.id)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(more.trials.slice(0, 4)).toEqual(first.trials);
    // The best trial's trained model is a run directory; the others keep only their curves (for wgnn board).
    expect(readdirSync(join(o.out, 'best')).sort()).toEqual(['config.json', 'history.json', 'model.safetensors']);
    for (const t of more.trials) expect(existsSync(join(o.out, 'trials', t.id, 'history.json'))).toBe(true);
    expect(more.trials.filter((t) => existsSync(join(o.out, 'trials', t.id, 'model.safetensors'))).map((t) => t.id)).toEqual([more.best.id]);
    await expect(tune({ ...o, seed: 3 })).rejects.toThrow(/trials\.json: holds a search with other settings/);
  });
});
