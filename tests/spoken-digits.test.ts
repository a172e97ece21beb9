/**
 * Spoken digits end to end on a small synthesised set (espeak-ng; CI installs it): the layout,
 * the split by voice, then train → evaluate → predict through the command line.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { synthesizeSpokenDigits, TEST_SPEAKERS_FILE } from '../src/audio/synth.ts';
import { loadSpokenDigits, speakerValidation } from '../src/data/spoken-digits.ts';
import { decodeWav } from '../src/audio/wav.ts';
import { train } from '../src/cli/train.ts';
import { evaluateRun } from '../src/cli/evaluate.ts';
import { predictFiles } from '../src/cli/predict.ts';
import { trainOptions } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'wgnn-speech-'));
const set = join(root, 'set');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('spoken digits', () => {
  beforeAll(async () => {
    await synthesizeSpokenDigits({ out: set, voices: 5, repeats: 1, seed: 3, jobs: 2 });
  }, 120_000);

  it('synthesises {digit}_{voice}_{index}.wav at 8 kHz, with one whole voice in five held out', () => {
    const files = readdirSync(set).filter((f) => f.endsWith('.wav'));
    expect(files.length).toBe(50);
    expect(files.every((f) => /^[0-9]_[^_]+_0\.wav$/.test(f))).toBe(true);
    const held = readFileSync(join(set, TEST_SPEAKERS_FILE), 'utf8').trim().split('\n');
    expect(held.length).toBe(1);
    const audio = decodeWav(readFileSync(join(set, files[0])), files[0]);
    expect(audio.sampleRate).toBe(8000);
    expect(audio.samples.length).toBeGreaterThan(2000);
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses to write into a directory that holds files', async () => {
    await expect(synthesizeSpokenDigits({ out: set, voices: 2, repeats: 1, seed: 0, jobs: 1 })).rejects.toThrow(/already holds files/);
  });

  it('splits by speaker: no voice in both sets; without a list, every fifth speaker in name order', () => {
    const d = loadSpokenDigits(set);
    expect(d.train.count).toBe(40);
    expect(d.test.count).toBe(10);
    expect(d.inputShape).toEqual([32, 13]);
    expect(new Set(d.test.speakers)).toEqual(new Set(d.testSpeakers));
    expect(d.train.speakers.some((s) => d.testSpeakers.includes(s))).toBe(false);
    // FSDD's six speakers, no list: the fifth in name order (theo) is held out
    const fsdd = join(root, 'fsdd');
    mkdirSync(fsdd);
    const one = readFileSync(join(set, readdirSync(set).find((f) => f.startsWith('1_'))!));
    for (const speaker of ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler']) writeFileSync(join(fsdd, `1_${speaker}_0.wav`), one);
    expect(loadSpokenDigits(fsdd).testSpeakers).toEqual(['theo']);
  });

  it('speed perturbation adds copies of training recordings only, and validation leaves them out', () => {
    const plain = loadSpokenDigits(set);
    const d = loadSpokenDigits(set, { speeds: [0.9, 1.1] });
    expect(d.train.count).toBe(120);
    expect(d.test.images).toEqual(plain.test.images);
    const per = 32 * 13;
    // the originals first, unchanged; then each one again at 0.9× and at 1.1× speed
    expect(d.train.images.subarray(0, 40 * per)).toEqual(plain.train.images);
    expect(d.train.files[40]).toBe(`${plain.train.files[0]}@0.9`);
    expect(d.train.speakers.slice(80)).toEqual(plain.train.speakers);
    expect(Array.from(d.train.labels.subarray(40, 80))).toEqual(Array.from(plain.train.labels));
    const a = d.train.images.subarray(0, per), slow = d.train.images.subarray(40 * per, 41 * per);
    expect(slow.every(Number.isFinite)).toBe(true);
    expect(Math.max(...slow.map((v, i) => Math.abs(v - a[i])))).toBeGreaterThan(0.05);
    const { train, val } = speakerValidation(d.train, 0.5);
    expect(val.count).toBe(20); // two whole voices of four, as recorded
    expect(val.files.some((f) => f.includes('@'))).toBe(false);
    expect(train.count).toBe(60);
    expect(train.speakers.some((s) => val.speakers.includes(s))).toBe(false);
  });

  it('a directory without recordings, or with one speaker, gets one clear line', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => loadSpokenDigits(empty)).toThrow(/holds no \{digit\}_\{speaker\}_\{index\}\.wav files/);
    expect(() => loadSpokenDigits(join(root, 'nowhere'))).toThrow(/directory not found/);
    const lone = join(root, 'lone');
    mkdirSync(lone);
    writeFileSync(join(lone, '1_theo_0.wav'), readFileSync(join(set, readdirSync(set).find((f) => f.endsWith('.wav'))!)));
    expect(() => loadSpokenDigits(lone)).toThrow(/holds one speaker \(theo\); a split by speaker needs at least two/);
  });

  it('train → evaluate → predict through the command line', async () => {
    const out = join(root, 'run');
    const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await train(trainOptions({ model: 'lstm', backend: 'wasm', data: set, out, epochs: 2, batchSize: 16, validationSplit: 0, augment: 'affine' }));
      // --augment on speech: each training recording at two more speeds
      expect(log.mock.calls.map((c) => String(c[0])).join('')).toMatch(/Data: 120 training \(with copies at 0\.88 and 1\.12× speed\) \(4 voices\)/);
      const evaluation = await evaluateRun(out, { backend: 'wasm', json: false, worst: 4 });
      expect(evaluation.count).toBe(10);
      expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10);
      const wav = readdirSync(set).find((f) => f.endsWith('.wav'))!;
      const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const bad = join(root, 'bad.wav');
      writeFileSync(bad, readFileSync(join(set, wav)).subarray(0, 60));
      const results = await predictFiles(out, [join(set, wav), bad], { backend: 'wasm', json: false });
      spy.mockRestore();
      errors.mockRestore();
      expect('digit' in results[0] && results[0].digit >= 0 && results[0].digit <= 9).toBe(true);
      expect(results[1]).toEqual({ file: bad, error: expect.stringMatching(/bad\.wav: truncated: the "data" chunk declares \d+ bytes, 16 are present/) });
      process.exitCode = 0;
    } finally {
      log.mockRestore();
    }
  }, 120_000);
});
