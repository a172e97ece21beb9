/** `wgnn predict RUN_DIR IMAGE...`: digits from PNG or JPEG files, preprocessed as MNIST was. */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join, normalize, sep } from 'node:path';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { loadModel } from '../io/run-dir.ts';
import { decodeImage } from '../image/decode.ts';
import { mnistify, SIDE } from '../image/mnistify.ts';
import { grayPng } from '../image/png.ts';
import { setBackend } from '../tensor/context.ts';
import { predict } from '../train/predict.ts';
import { resolveRunDir } from './runs.ts';
import { readsSpeech } from './speech.ts';
import { wavFeatures } from '../audio/features.ts';

export interface PredictOptions {
  backend: BackendName;
  json: boolean;
  /** a directory for the 28×28 inputs the model saw */
  savePreprocessed?: string;
}

export type PredictResult = { file: string; digit: number; probabilities: number[]; inverted: boolean; preprocessed?: string } | { file: string; error: string };

/** Reads and preprocesses one file; the error names the file and says what is wrong with it. */
export function preprocessFile(file: string): { pixels: Float32Array; inverted: boolean } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`}`);
  }
  // A recording: the speech front end's features, for an lstm or gru run.
  if (/\.wav$/i.test(file)) return { pixels: wavFeatures(bytes, file), inverted: false };
  const image = decodeImage(bytes, file);
  try {
    return mnistify(image);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/**
 * FILE.28x28.png for each input, distinct even when two inputs share a base name (a/d.png and
 * b/d.png): those take their directories into the name (a_d.png.28x28.png), and a number if needed.
 */
export function preprocessedNames(files: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const f of files) count.set(basename(f), (count.get(basename(f)) ?? 0) + 1);
  const used = new Set<string>();
  return files.map((f) => {
    const base = basename(f);
    const stem = count.get(base)! > 1 ? normalize(f).split(sep).filter((p) => p && p !== '.' && p !== '..').join('_') : base;
    let name = `${stem}.28x28.png`;
    for (let n = 2; used.has(name); n++) name = `${stem}-${n}.28x28.png`;
    used.add(name);
    return name;
  });
}

export async function predictFiles(dir: string, files: string[], o: PredictOptions): Promise<PredictResult[]> {
  dir = resolveRunDir(dir);
  const results: PredictResult[] = [];
  let good: { file: string; pixels: Float32Array; inverted: boolean; at: number }[] = [];
  for (const file of files) {
    try {
      good.push({ file, ...preprocessFile(file), at: results.length });
      results.push({ file, digit: -1, probabilities: [], inverted: false });
    } catch (e) {
      results.push({ file, error: (e as Error).message });
    }
  }
  if (good.length) {
    const { backend } = await selectBackend(o.backend);
    setBackend(backend);
    try {
      const { model } = loadModel(dir);
      // An image for an image model, a recording for a speech model; the other kind is that file's error.
      const per = model.inputShape.reduce((p, d) => p * d, 1);
      for (const g of good.filter((g) => g.pixels.length !== per)) {
        results[g.at] = { file: g.file, error: `${g.file}: this run's model reads ${readsSpeech(model) ? 'WAV recordings' : 'PNG or JPEG images'}` };
      }
      good = good.filter((g) => g.pixels.length === per);
      const images = new Float32Array(good.length * per);
      good.forEach((g, i) => images.set(g.pixels, i * per));
      const probs = await predict(model, { images, labels: new Uint8Array(good.length), count: good.length });
      model.dispose();
      if (o.savePreprocessed) mkdirSync(o.savePreprocessed, { recursive: true });
      const names = preprocessedNames(good.map((g) => g.file));
      good.forEach((g, i) => {
        const p = Array.from(probs.subarray(i * 10, (i + 1) * 10));
        const digit = p.indexOf(Math.max(...p));
        let preprocessed: string | undefined;
        if (o.savePreprocessed && g.pixels.length === SIDE * SIDE) {
          preprocessed = join(o.savePreprocessed, names[i]);
          writeFileAtomic(preprocessed, grayPng(g.pixels, SIDE, SIDE));
        }
        results[g.at] = { file: g.file, digit, probabilities: p, inverted: g.inverted, ...(preprocessed ? { preprocessed } : {}) };
      });
    } finally {
      backend.dispose();
    }
  }
  if (o.json) {
    console.log(JSON.stringify(results));
  } else {
    for (const r of results) {
      if ('error' in r) {
        console.error(`wgnn: ${r.error}`);
        continue;
      }
      console.log(`${r.file}: ${r.digit} (${(r.probabilities[r.digit] * 100).toFixed(1)}%)${r.inverted ? ' [dark on light: inverted]' : ''}${r.preprocessed ? ` → ${r.preprocessed}` : ''}`);
      console.log('  ' + r.probabilities.map((p, d) => `${d}: ${p.toFixed(3)}`).join('  '));
    }
  }
  if (results.some((r) => 'error' in r)) process.exitCode = 1;
  return results;
}
