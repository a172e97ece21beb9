/**
 * `wgnn study` and `wgnn tune` end to end with tiny sizes on the fast CPU backend: every study's
 * report must show the numbers its CSV holds; the tuner must resume an interrupted search and
 * save a model file that `train --config` trains; a bad model file must fail clearly.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runStudy } from '../src/cli/study.ts';
import { train, type TrainOptions } from '../src/cli/train.ts';
import { createPool, poolRunner, type JobPool } from '../src/study/pool.ts';
import { parseSpace } from '../src/study/space.ts';
import { openStore } from '../src/study/store.ts';
import { studyNames, type StudyName } from '../src/study/studies.ts';
import { BEST_FILE, hyperbandBrackets, tune, TRIALS_FILE, type Strategy, type Trial } from '../src/study/tune.ts';
import { trainOptions } from './helpers.ts';

const BACKEND = 'wasm' as const;
// Resumed searches are compared with uninterrupted ones: one thread keeps every sum in one order.
process.env.WGNN_THREADS = '1';
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-studies-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(tmp, { recursive: true, force: true });
  process.exitCode = 0;
});

interface Row {
  variant: string;
  epoch: number;
  accuracy: number;
  val_accuracy: number;
  wall_seconds: number;
}

function readCsv(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    const o = Object.fromEntries(cols.map((c, i) => [c, c === 'variant' ? cells[i] : Number(cells[i])]));
    return o as unknown as Row;
  });
}

/** The report's table: variant → the cells of its row, by column title. */
function readTable(report: string): Map<string, Record<string, string>> {
  const lines = report.split('\n').filter((l) => l.startsWith('| '));
  const titles = lines[0].split('|').slice(1, -1).map((c) => c.trim());
  const out = new Map<string, Record<string, string>>();
  for (const l of lines.slice(2)) {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== titles.length) break; // the next table
    out.set(cells[0], Object.fromEntries(titles.map((t, i) => [t, cells[i]])));
  }
  return out;
}

describe('wgnn study', () => {
  for (const name of studyNames) {
    it(`${name}: charts, CSV and a report whose numbers match the CSV`, async () => {
      const out = join(tmp, name);
      const { report } = await runStudy(name as StudyName, { limit: 6000, epochs: 3, seeds: 1, workers: 1, backend: BACKEND, out, log: () => {} });
      for (const f of ['loss.png', 'loss.svg', 'accuracy.png', 'accuracy.svg', 'results.csv', 'summary.json', 'report.md']) expect(existsSync(join(out, f)), f).toBe(true);
      const rows = readCsv(join(out, 'results.csv'));
      const table = readTable(report);
      const variants = [...new Set(rows.map((r) => r.variant))];
      expect([...table.keys()]).toEqual(variants);
      for (const v of variants) {
        const mine = rows.filter((r) => r.variant === v);
        const best = mine.reduce((b, r) => (r.val_accuracy > b.val_accuracy ? r : b));
        const last = mine.at(-1)!;
        const cells = table.get(v)!;
        expect(cells['best val accuracy']).toBe(best.val_accuracy.toFixed(4));
        expect(cells['epoch of best']).toBe(String(best.epoch));
        expect(cells['final train−val gap']).toBe((last.accuracy - last.val_accuracy).toFixed(4));
        expect(cells['wall time (s)']).toBe(last.wall_seconds.toFixed(1));
      }
      expect(report).toContain('## Conclusions');
      if (variants.length > 1) expect(report).toMatch(/Highest best validation accuracy: \*\*.+\*\* \(\d+\.\d\d% at epoch \d\)/);
    });
  }

  it('--seeds 2 reports mean ± std over two runs per variant', async () => {
    const out = join(tmp, 'seeds');
    const { report } = await runStudy('optimizer', { limit: 300, epochs: 1, seeds: 2, workers: 1, backend: BACKEND, out, log: () => {} });
    const rows = readCsv(join(out, 'results.csv'));
    const adam = rows.filter((r) => r.variant === 'adam').map((r) => r.val_accuracy);
    expect(adam).toHaveLength(2);
    const mean = (adam[0] + adam[1]) / 2;
    const std = Math.abs(adam[0] - adam[1]) / Math.SQRT2;
    expect(readTable(report).get('adam')!['best val accuracy']).toBe(`${mean.toFixed(4)} ± ${std.toFixed(4)}`);
  });
});

describe('wgnn tune', () => {
  const space = parseSpace({
    format: 'wgnn-space', epochs: 3,
    params: { filters1: { int: [4, 8, 4] }, filters2: { int: [4, 8, 4] }, units: { int: [8, 16, 8] }, dropout: { range: [0, 0.2, 0.1] }, lr: { loguniform: [1e-3, 1e-2] }, optimizer: { choice: ['adam', 'sgd'] }, batchSize: 32 },
  }, 'test space');
  let pool: JobPool;
  beforeAll(async () => {
    pool = await createPool(BACKEND, 1);
  });
  afterAll(async () => pool.close());
  const settings = (strategy: Strategy, out: string) => ({
    strategy, trials: strategy === 'random' ? 3 : 5, maxEpochs: strategy === 'random' ? 1 : 3, seed: 1, validationSplit: 0.2, limit: 200, space, out,
    parallel: 2, earlyStop: false, test: false, runner: poolRunner(pool, 1), openStore, log: () => {},
  });
  // The same trials with the same configurations; the multi-threaded CPU kernels sum in a varying
  // order, so losses agree to float precision rather than bit for bit.
  const plan = (ts: Trial[]) => Object.fromEntries(ts.map((t) => [t.id, { config: t.config, epochs: t.epochs }]));
  const sameResults = (a: Trial[], b: Trial[]) => {
    const other = new Map(b.map((t) => [t.id, t]));
    for (const t of a) {
      expect(t.valLoss).toBeCloseTo(other.get(t.id)!.valLoss, 3);
      expect(Math.abs(t.valAccuracy - other.get(t.id)!.valAccuracy)).toBeLessThanOrEqual(0.025);
    }
  };

  it('hyperband brackets hold exactly the requested number of configurations', () => {
    for (const [epochs, trials] of [[3, 5], [9, 10], [27, 10], [9, 40], [1, 3]]) {
      expect(hyperbandBrackets(epochs, trials).reduce((a, b) => a + b.n, 0)).toBe(trials);
    }
  });

  for (const strategy of ['random', 'hyperband'] as const) {
    it(`${strategy}: an interrupted search resumes where it stopped and ends as an uninterrupted one`, async () => {
      const full = await tune(settings(strategy, join(tmp, `${strategy}-full`)));
      expect(full.interrupted).toBe(false);
      expect(existsSync(join(tmp, `${strategy}-full`, BEST_FILE))).toBe(true);
      if (strategy === 'hyperband') expect(full.trials.some((t) => t.epochs < 3) && full.trials.some((t) => t.epochs === 3)).toBe(true);

      const dir = join(tmp, `${strategy}-part`);
      const abort = new AbortController();
      // Interrupt as soon as the first trial is reported.
      const part = await tune({ ...settings(strategy, dir), signal: abort.signal, log: (l) => void (/^\s+(t|b)\d/.test(l) && abort.abort()) });
      expect(part.interrupted).toBe(true);
      expect(part.ran).toBe(1);
      expect(existsSync(join(dir, BEST_FILE))).toBe(false);
      expect(JSON.parse(readFileSync(join(dir, TRIALS_FILE), 'utf8')).trials).toHaveLength(1);

      const resumed = await tune(settings(strategy, dir));
      expect(resumed.ran).toBe(full.trials.length - 1);
      expect(plan(resumed.trials)).toEqual(plan(full.trials));
      sameResults(resumed.trials, full.trials);
    });
  }

  it('refuses to resume a search with other settings', async () => {
    await expect(tune({ ...settings('random', join(tmp, 'random-full')), seed: 4 })).rejects.toThrow(/other settings/);
  });

  it('train --config trains the saved best model; a bad file fails with the file and the field', async () => {
    const base: TrainOptions = trainOptions({ model: 'cnn', validationSplit: 0.2, seed: 1, backend: BACKEND, limit: 200, test: false });
    const out = join(tmp, 'from-config');
    const best = join(tmp, 'random-full', BEST_FILE);
    await train({ ...base, config: best, out });
    const saved = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    // The run keeps the best model's architecture and names its data set's classes.
    const { classNames, ...architecture } = saved.model;
    expect(architecture).toEqual(JSON.parse(readFileSync(best, 'utf8')).model);
    expect(classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(saved.training.optimizer).toBe(JSON.parse(readFileSync(best, 'utf8')).training.optimizer);

    const bad = (name: string, text: string) => {
      const p = join(tmp, name);
      writeFileSync(p, text);
      return p;
    };
    await expect(train({ ...base, config: join(tmp, 'missing.json') })).rejects.toThrow(/missing\.json: cannot read the model file \(ENOENT\)/);
    await expect(train({ ...base, config: bad('a.json', '{ "format": ') })).rejects.toThrow(/a\.json: not valid JSON/);
    await expect(train({ ...base, config: bad('b.json', '{"format": "wgnn-run"}') })).rejects.toThrow(/b\.json: field "format" must be "wgnn-model"/);
    const model = { inputShape: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: -3 }] };
    await expect(train({ ...base, config: bad('c.json', JSON.stringify({ format: 'wgnn-model', model })) })).rejects.toThrow(/c\.json: model: layers\[1\]: field "units" must be a positive integer/);
    const ok = { inputShape: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] };
    await expect(train({ ...base, config: bad('d.json', JSON.stringify({ format: 'wgnn-model', model: ok, training: { optimizer: 'rmsprop' } })) })).rejects.toThrow(/d\.json: training: field "optimizer" must be one of/);
  });
});
