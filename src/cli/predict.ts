/** `wgnn predict RUN_DIR IMAGE...`: digits from PNG or JPEG files, preprocessed as MNIST was. */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join, normalize, sep } from 'node:path';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { loadModel, readRunConfig } from '../io/run-dir.ts';
import { decodeImage } from '../image/decode.ts';
import { inputSpecOf, modelInput, type InputSpec } from '../image/model-input.ts';
import { MNIST_INPUT } from '../layers/presets.ts';
import { planesPng } from '../image/png.ts';
import { datasetOfRun } from '../serve/server.ts';
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

/** `digit`: the index of the most probable class (its historical name); `label`: that class's name. */
export type PredictResult = { file: string; digit: number; label: string; probabilities: number[]; inverted: boolean; preprocessed?: string } | { file: string; error: string };

const DIGIT_INPUT: InputSpec = { shape: MNIST_INPUT.shape, digits: true };

/** Reads and preprocesses one file for a model of `spec` (default: a digit model); the error names the file and says what is wrong with it. */
export function preprocessFile(file: string, spec: InputSpec = DIGIT_INPUT): { pixels: Float32Array; inverted: boolean } {
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
    return modelInput(image, spec);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/**
 * FILE.HxW.png (FILE.28x28.png for a digit model) for each input, distinct even when two inputs
 * share a base name (a/d.png and b/d.png): those take their directories into the name
 * (a_d.png.28x28.png), and a number if needed.
 */
export function preprocessedNames(files: readonly string[], shape: readonly number[] = MNIST_INPUT.shape): string[] {
  const size = `${shape[1]}x${shape[2]}`;
  const count = new Map<string, number>();
  for (const f of files) count.set(basename(f), (count.get(basename(f)) ?? 0) + 1);
  const used = new Set<string>();
  return files.map((f) => {
    const base = basename(f);
    const stem = count.get(base)! > 1 ? normalize(f).split(sep).filter((p) => p && p !== '.' && p !== '..').join('_') : base;
    let name = `${stem}.${size}.png`;
    for (let n = 2; used.has(name); n++) name = `${stem}-${n}.${size}.png`;
    used.add(name);
    return name;
  });
}

export async function predictFiles(dir: string, files: string[], o: PredictOptions): Promise<PredictResult[]> {
  dir = resolveRunDir(dir);
  // The run's input (shape, and digit preprocessing or not) is known from its config, before any weights load.
  const runConfig = readRunConfig(dir);
  const spec = inputSpecOf(runConfig.model.inputShape, datasetOfRun(runConfig));
  const results: PredictResult[] = [];
  let good: { file: string; pixels: Float32Array; inverted: boolean; at: number }[] = [];
  for (const file of files) {
    try {
      good.push({ file, ...preprocessFile(file, spec), at: results.length });
      results.push({ file, digit: -1, label: '', probabilities: [], inverted: false });
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
      const classes = model.outputSize;
      const labels = model.labels();
      model.dispose();
      if (o.savePreprocessed) mkdirSync(o.savePreprocessed, { recursive: true });
      const names = preprocessedNames(good.map((g) => g.file), spec.shape);
      good.forEach((g, i) => {
        const p = Array.from(probs.subarray(i * classes, (i + 1) * classes));
        const digit = p.indexOf(Math.max(...p));
        let preprocessed: string | undefined;
        if (o.savePreprocessed && spec.shape.length === 3) {
          preprocessed = join(o.savePreprocessed, names[i]);
          writeFileAtomic(preprocessed, planesPng(g.pixels, spec.shape));
        }
        results[g.at] = { file: g.file, digit, label: labels[digit], probabilities: p, inverted: g.inverted, ...(preprocessed ? { preprocessed } : {}) };
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
      console.log(`${r.file}: ${r.label} (${(r.probabilities[r.digit] * 100).toFixed(1)}%)${r.inverted ? ' [dark on light: inverted]' : ''}${r.preprocessed ? ` → ${r.preprocessed}` : ''}`);
      console.log('  ' + r.probabilities.map((p, d) => `${d}: ${p.toFixed(3)}`).join('  '));
    }
  }
  if (results.some((r) => 'error' in r)) process.exitCode = 1;
  return results;
}
