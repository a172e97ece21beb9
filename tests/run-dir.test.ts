/**
 * Issue 14 ("Nothing lost, nothing let in"): a run directory is never overwritten without being
 * asked, never shared by two runs, never given a NaN, and resumes whatever moment its run was
 * killed at; settings are validated alike from the command line, config.json and tuner files;
 * a config's sizes are checked against its weights before anything is allocated. Each `it`
 * names its item. Runs are tiny (the reference backend, mlp, a few hundred images).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { quietScratchDir } from './helpers.ts';
import { predictFiles } from '../src/cli/predict.ts';
import { positiveInt, setting } from '../src/cli/options.ts';
import { train, type TrainOptions } from '../src/cli/train.ts';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { CHECKPOINT_FILE } from '../src/io/checkpoint.ts';
import { LOCK_FILE } from '../src/io/lock.ts';
import { writeReport } from '../src/io/report.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { loadSafetensors, saveSafetensors } from '../src/io/safetensors.ts';
import { setBackend } from '../src/tensor/context.ts';

const scratch = quietScratchDir('wgnn-run-dir-');

const base: TrainOptions = {
  model: 'mlp', epochs: 2, batchSize: 50, validationSplit: 0.25, optimizer: 'adam', seed: 5, backend: 'reference', limit: 200, json: false, test: false,
  batchNorm: true, earlyStopping: false, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBest: true,
  reduceLr: false, reduceLrFactor: 0.2, reduceLrPatience: 2, minLr: 1e-4, lrSchedule: 'constant', lrDecay: 0.5, lrDecayEpochs: 5,
};

/** The CLI, for what only the command line does (option parsing); resolves with exit code and stderr. */
function cli(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/wgnn.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

const readConfig = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));

describe('run directories: nothing lost', () => {
  let run: string;
  beforeAll(async () => {
    run = join(scratch(), 'run');
    await train({ ...base, out: run });
  });

  it('item 2: --out onto an existing run is refused and loses nothing; --overwrite replaces the run and its stale evaluation', async () => {
    writeFileSync(join(run, 'evaluation.json'), '{"count":1}');
    const model = readFileSync(join(run, 'model.safetensors'));
    await expect(train({ ...base, seed: 6, out: run })).rejects.toThrow(/run: already holds files .*--resume .*--overwrite/);
    expect(readFileSync(join(run, 'model.safetensors')).equals(model)).toBe(true);
    // A directory holding a user's own files is just as safe.
    const mine = join(scratch(), 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'report.md'), 'my notes');
    await expect(train({ ...base, out: mine })).rejects.toThrow(/already holds files \(report\.md\)/);
    expect(readFileSync(join(mine, 'report.md'), 'utf8')).toBe('my notes');

    const copy = join(scratch(), 'overwritten');
    await train({ ...base, out: copy });
    writeFileSync(join(copy, 'evaluation.json'), '{"count":1}');
    await train({ ...base, seed: 6, out: copy, overwrite: true });
    expect(existsSync(join(copy, 'evaluation.json'))).toBe(false);
    expect(readConfig(copy).training.seed).toBe(6);
  });

  it('item 3: a run directory in use by a live process is refused; the lock of a killed one is taken over', async () => {
    const dir = join(scratch(), 'locked');
    mkdirSync(dir);
    const owner = spawn('sleep', ['60']);
    try {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: owner.pid, host: (await import('node:os')).hostname(), since: 'now' }));
      await expect(train({ ...base, out: dir, overwrite: true })).rejects.toThrow(new RegExp(`locked: in use by process ${owner.pid} `));
    } finally {
      owner.kill('SIGKILL');
    }
    await new Promise((resolve) => owner.once('exit', resolve));
    const said: string[] = [];
    vi.mocked(process.stdout.write).mockImplementation((line) => (said.push(String(line)), true));
    await train({ ...base, out: dir, overwrite: true });
    expect(said.join('')).toContain(`took over the lock of process ${owner.pid}, which no longer runs`);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    loadModel(dir).model.dispose();
  });

  it('item 6: a run killed before its first checkpoint resumes (its settings are written first); stale temporary files are removed', async () => {
    const dir = join(scratch(), 'early');
    await train({ ...base, out: dir, signal: AbortSignal.abort() });
    process.exitCode = 0;
    expect(existsSync(join(dir, CHECKPOINT_FILE))).toBe(false);
    expect(readConfig(dir).training.settings.seed).toBe(5);
    // What a writer SIGKILLed mid-write leaves: its temporary file, named with its (dead) pid.
    writeFileSync(join(dir, '.checkpoint.safetensors.999999999.deadbeef.tmp'), Buffer.alloc(1000));
    await train({ ...base, epochs: 2, resume: dir }, new Set());
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'))).toHaveLength(2);
    // The same run uninterrupted gives the same weights.
    expect(loadSafetensors(join(dir, 'model.safetensors')).tensors).toEqual(loadSafetensors(join(run, 'model.safetensors')).tensors);
  });

  it('item 7: --resume validates the saved settings as the command line does (batchSize -5, limit 0)', async () => {
    for (const [field, value] of [['batchSize', -5], ['limit', 0], ['seed', 'abc'], ['validationSplit', 1.5]] as const) {
      const dir = join(scratch(), `edited-${field}`);
      await train({ ...base, epochs: 1, out: dir });
      const cfg = readConfig(dir);
      cfg.training.settings[field] = value;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
      await expect(train({ ...base, epochs: 2, resume: dir }, new Set(['epochs']))).rejects.toThrow(
        new RegExp(`config\\.json: training\\.settings: field "${field}" must be`),
      );
    }
    // A tuner's model file goes through the same validator.
    const tuned = join(scratch(), 'tuned.json');
    writeFileSync(tuned, JSON.stringify({ format: 'wgnn-model', model: { inputShape: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] }, training: { batchSize: -5 } }));
    await expect(train({ ...base, config: tuned })).rejects.toThrow(/tuned\.json: training: field "batchSize" must be an integer from 1 to 65536, got -5/);
  });

  it('item 8: a config asking for more than its weights hold is refused from the header, before allocating (units 400000, 1e9)', () => {
    setBackend(new ReferenceBackend());
    for (const units of [400_000, 1e9]) {
      const dir = join(scratch(), `big-${units}`);
      mkdirSync(dir);
      for (const f of ['model.safetensors', 'config.json']) writeFileSync(join(dir, f), readFileSync(join(run, f)));
      const cfg = readConfig(dir);
      cfg.model.layers.find((l: { type: string }) => l.type === 'dense').units = units;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
      const rss = process.memoryUsage().rss;
      expect(() => loadModel(dir)).toThrow(/config\.json: the model it describes does not fit .*model\.safetensors: a parameter of shape \[\d+, 784\]/);
      expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 2 ** 20);
    }
  });

  it('item 9: --out onto an existing file is refused before training starts', async () => {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, 'not a directory');
    const started = performance.now();
    await expect(train({ ...base, epochs: 50, out: file })).rejects.toThrow(/a-file: exists and is not a directory/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('item 12: predict a/d.png b/d.png --save-preprocessed writes two files, not one', async () => {
    const png = new PNG({ width: 28, height: 28 });
    png.data.fill(0);
    for (let y = 6; y < 22; y++) png.data.writeUInt32BE(0xffffffff, 4 * (y * 28 + 14));
    const files = ['a', 'b'].map((d) => {
      mkdirSync(join(scratch(), d), { recursive: true });
      writeFileSync(join(scratch(), d, 'd.png'), PNG.sync.write(png));
      return join(scratch(), d, 'd.png');
    });
    const out = join(scratch(), 'preprocessed');
    const results = await predictFiles(run, files, { backend: 'reference', json: true, savePreprocessed: out });
    const saved = results.map((r) => ('preprocessed' in r ? r.preprocessed : undefined));
    expect(new Set(saved).size).toBe(2);
    expect(readdirSync(out)).toHaveLength(2);
  });
});

describe('non-finite values and empty data', () => {
  it('item 4: a run whose weights become NaN stops with a clear message, saves no NaN, and its report is written', async () => {
    const dir = join(scratch(), 'diverged');
    const o = { ...base, optimizer: 'sgd' as const, lr: 1e38, batchSize: 1000, limit: 1000, validationSplit: 0.1, epochs: 2, out: dir };
    await expect(train(o)).rejects.toThrow(/(weight ".*"|val_loss|loss) became (NaN|-?Infinity) at epoch 1, step 1: training stopped/);
    for (const f of ['model.safetensors', CHECKPOINT_FILE]) {
      if (existsSync(join(dir, f))) expect(() => loadSafetensors(join(dir, f))).not.toThrow();
    }
    // A model file holding NaN (from an older wgnn) is refused when loaded, naming the tensor.
    const good = join(scratch(), 'finite');
    await train({ ...base, epochs: 1, out: good });
    const nan = join(scratch(), 'nan-model');
    mkdirSync(nan);
    writeFileSync(join(nan, 'config.json'), readFileSync(join(good, 'config.json')));
    const { tensors } = loadSafetensors(join(good, 'model.safetensors'));
    const bytes = readFileSync(join(good, 'model.safetensors'));
    const header = Number(bytes.readBigUInt64LE(0));
    bytes.writeFloatLE(Number.NaN, 8 + header + 4 * 3);
    writeFileSync(join(nan, 'model.safetensors'), bytes);
    expect(Object.keys(tensors).length).toBeGreaterThan(0);
    setBackend(new ReferenceBackend());
    expect(() => loadModel(nan)).toThrow(/model\.safetensors: tensor ".*", data: holds NaN at index 3: the weights are not finite/);
    // Nothing writes one either.
    expect(() => saveSafetensors(join(nan, 'x.safetensors'), { w: { shape: [2], data: Float32Array.of(1, Number.NaN) } })).toThrow(/tensor "w", data: refusing to write NaN/);
    // report.md from a history whose val_loss JSON turned into null does not crash.
    writeFileSync(join(nan, 'history.json'), JSON.stringify([{ epoch: 1, loss: 1, accuracy: 0.5, val_loss: null, val_accuracy: 0.1, lr: 0.01, seconds: 1, msPerStep: 1 }]));
    expect(writeReport(nan)).toContain('| 1 | 1.0000 | 0.5000 | NaN |');
  });

  it('item 5: zero training images (--limit 1 --validation-split 0.5) is an error, and no run is saved', async () => {
    const dir = join(scratch(), 'empty');
    await expect(train({ ...base, limit: 1, validationSplit: 0.5, out: dir })).rejects.toThrow(/no training images: 1 image \(--limit 1\) with --validation-split 0\.5 leaves none for training/);
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(false);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });
});

describe('strict integers (item 11)', () => {
  it('refuses --seed abc and --seed 12abc on the command line', () => {
    for (const seed of ['abc', '12abc']) {
      const r = cli(['train', '--seed', seed, '--limit', '100', '--epochs', '1']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`option '--seed <n>' argument '${seed}' is invalid. expected an integer from 0 to 4294967295, got "${seed}"`);
    }
  });

  it('every integer parser is strict: no hex, exponent, blank or trailing text', () => {
    for (const bad of ['0x10', '1e3', '', ' ', '12abc', '1.5', '-1']) expect(() => positiveInt(bad)).toThrow(/expected a positive integer/);
    expect(positiveInt('12')).toBe(12);
    expect(() => setting('batchSize')('100000')).toThrow(/from 1 to 65536/);
  });
});
