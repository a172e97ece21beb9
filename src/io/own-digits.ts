/**
 * Accuracy on wgnn's own digit set (tests/fixtures/own-digits, made by scripts/make-own-digits.ts):
 * every image goes through `predict`'s path (decode, MNIST preprocessing) and the results are
 * counted per kind (fonts, slants, pen strokes, light on dark, colour, off-centre, noise, light).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../image/decode.ts';
import { mnistify, SIDE } from '../image/mnistify.ts';
import type { Sequential } from '../layers/sequential.ts';
import { predict } from '../train/predict.ts';

export interface OwnDigit {
  file: string;
  digit: number;
  kind: string;
  detail: string;
}

export interface KindAccuracy {
  kind: string;
  correct: number;
  count: number;
}

export interface OwnDigitsReport {
  accuracy: number;
  count: number;
  kinds: KindAccuracy[];
  /** the images read wrong (or not at all), with what the model said */
  mistakes: { file: string; digit: number; predicted: number | null; detail: string }[];
}

export function readOwnDigits(dir: string): OwnDigit[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { items?: OwnDigit[] };
  if (!Array.isArray(manifest.items)) throw new Error(`${dir}/manifest.json: field "items" must be a list of {file, digit, kind}`);
  return manifest.items;
}

export async function ownDigitsAccuracy(model: Sequential, dir: string): Promise<OwnDigitsReport> {
  const items = readOwnDigits(dir);
  const px = SIDE * SIDE;
  const images = new Float32Array(items.length * px);
  const unreadable = new Set<number>();
  items.forEach((it, i) => {
    try {
      images.set(mnistify(decodeImage(readFileSync(join(dir, it.file)), it.file)).pixels, i * px);
    } catch {
      unreadable.add(i);
    }
  });
  const probs = await predict(model, { images, labels: new Uint8Array(items.length), count: items.length });
  const kinds = new Map<string, KindAccuracy>();
  const mistakes: OwnDigitsReport['mistakes'] = [];
  let correct = 0;
  items.forEach((it, i) => {
    const classes = model.outputSize;
    const p = Array.from(probs.subarray(i * classes, (i + 1) * classes));
    const predicted = unreadable.has(i) ? null : p.indexOf(Math.max(...p));
    const k = kinds.get(it.kind) ?? { kind: it.kind, correct: 0, count: 0 };
    kinds.set(it.kind, k);
    k.count++;
    if (predicted === it.digit) {
      k.correct++;
      correct++;
    } else {
      mistakes.push({ file: it.file, digit: it.digit, predicted, detail: it.detail });
    }
  });
  return { accuracy: correct / items.length, count: items.length, kinds: [...kinds.values()], mistakes };
}
