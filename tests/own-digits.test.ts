/**
 * wgnn's own digit set (tests/fixtures/own-digits, made by scripts/make-own-digits.ts: fonts,
 * slants, weights, pen strokes, light on dark, colour, off-centre, noise, uneven light; not MNIST)
 * read through `predict`'s path by the shipped model, which must get 97% of it right.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { ownDigitsAccuracy, readOwnDigits } from '../src/io/own-digits.ts';
import { defaultModelDir } from '../src/io/default-model.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { setBackend } from '../src/tensor/context.ts';

const DIR = 'tests/fixtures/own-digits';

describe('own digit set', () => {
  it('holds at least 300 images of every digit in every kind', () => {
    const items = readOwnDigits(DIR);
    expect(items.length).toBeGreaterThanOrEqual(300);
    for (const kind of new Set(items.map((i) => i.kind))) {
      expect(new Set(items.filter((i) => i.kind === kind).map((i) => i.digit)).size, kind).toBe(10);
    }
    expect(items.some((i) => i.file.endsWith('.jpg')) && items.some((i) => i.file.endsWith('.png'))).toBe(true);
  });

  it('the shipped model reads at least 97% of it', async () => {
    const backend = new WasmBackend();
    setBackend(backend);
    const { model } = loadModel(defaultModelDir());
    try {
      const r = await ownDigitsAccuracy(model, DIR);
      console.log(`own digit set, shipped model: ${(r.accuracy * 100).toFixed(1)}% of ${r.count}; ${r.kinds.map((k) => `${k.kind} ${k.correct}/${k.count}`).join(', ')}`);
      for (const m of r.mistakes) console.log(`  ${m.file} (${m.detail}): read ${m.predicted ?? 'nothing'}`);
      expect(r.accuracy).toBeGreaterThanOrEqual(0.97);
    } finally {
      model.dispose();
      backend.dispose();
    }
  }, 180_000);

  it('`wgnn predict IMAGE` reads with the shipped model when no run directory is given', () => {
    const out = execFileSync(process.execPath, ['bin/wgnn.mjs', 'predict', '--json', '--backend', 'wasm', `${DIR}/pen-7-1.jpg`, `${DIR}/font-3-0.png`], { encoding: 'utf8' });
    const results = JSON.parse(out.trim().split('\n').at(-1)!) as { file: string; digit: number }[];
    expect(results.map((r) => r.digit)).toEqual([7, 3]);
  }, 120_000);
});
