/**
 * The Free Spoken Digit Dataset's layout: a directory of `{digit}_{speaker}_{index}.wav`. Split by
 * speaker, so the test set is voices the model never heard: the speakers listed one a line in
 * test-speakers.txt when the directory has one (`wgnn data spoken-digits` writes it), else every
 * fifth speaker in name order (at least one). Each file becomes the front end's features
 * (src/audio/features.ts) of shape [steps, features].
 *
 * Speed perturbation (Ko et al. 2015) adds copies of every training recording played faster or
 * slower, which moves pitch and formants together as a longer or shorter vocal tract would: the
 * voices the training set lacks. Held-out voices are never perturbed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featureShape, speechFeatures } from '../audio/features.ts';
import { decodeWav } from '../audio/wav.ts';
import { TEST_SPEAKERS_FILE } from '../audio/synth.ts';
import { DataError } from './idx.ts';

const NAME = /^([0-9])_([^_]+)_([0-9]+)\.wav$/i;

export interface SpeechSplit {
  /** count × steps × features */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  speakers: string[];
  files: string[];
}

export interface SpokenDigits {
  train: SpeechSplit;
  test: SpeechSplit;
  testSpeakers: string[];
  /** [steps, features] of one example */
  inputShape: number[];
}

/** The suffix of a speed-perturbed copy's name in SpeechSplit.files: `0_jackson_0.wav@1.12`. */
const COPY = '@';

/**
 * The entries' features, in order, then (for each factor of `speeds`) every entry again played
 * at that speed: its samples taken as recorded at factor × their rate, then resampled.
 */
function pack(dir: string, entries: Array<{ file: string; digit: number; speaker: string }>, speeds: readonly number[] = []): SpeechSplit {
  const per = featureShape.steps * featureShape.features;
  const count = entries.length * (1 + speeds.length);
  const images = new Float32Array(count * per);
  entries.forEach((e, i) => {
    const audio = decodeWav(readFileSync(join(dir, e.file)), join(dir, e.file));
    images.set(speechFeatures(audio), i * per);
    speeds.forEach((r, k) => images.set(speechFeatures({ ...audio, sampleRate: Math.round(audio.sampleRate * r) }), ((k + 1) * entries.length + i) * per));
  });
  const copies = [1, ...speeds];
  return {
    images, count,
    labels: Uint8Array.from(copies.flatMap(() => entries.map((e) => e.digit))),
    speakers: copies.flatMap(() => entries.map((e) => e.speaker)),
    files: copies.flatMap((r, k) => entries.map((e) => (k === 0 ? e.file : `${e.file}${COPY}${r}`))),
  };
}

export interface LoadOptions {
  /** speed factors of the extra copies of each training recording (speed perturbation); none by default */
  speeds?: readonly number[];
}

export function loadSpokenDigits(dir: string, o: LoadOptions = {}): SpokenDigits {
  if (!existsSync(dir)) throw new DataError(dir, 'directory not found: pass --data with a folder of {digit}_{speaker}_{index}.wav files (wgnn data spoken-digits --out DIR makes one)');
  const entries = readdirSync(dir)
    .map((file) => ({ file, m: NAME.exec(file) }))
    .filter((e): e is { file: string; m: RegExpExecArray } => e.m !== null)
    .map(({ file, m }) => ({ file, digit: Number(m[1]), speaker: m[2], index: Number(m[3]) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (entries.length === 0) throw new DataError(dir, 'holds no {digit}_{speaker}_{index}.wav files');
  const speakers = [...new Set(entries.map((e) => e.speaker))].sort();
  if (speakers.length < 2) throw new DataError(dir, `holds one speaker (${speakers[0]}); a split by speaker needs at least two`);
  const listed = join(dir, TEST_SPEAKERS_FILE);
  let test: string[];
  if (existsSync(listed)) {
    test = readFileSync(listed, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
    const unknown = test.filter((s) => !speakers.includes(s));
    if (unknown.length) throw new DataError(listed, `lists speakers with no files: ${unknown.slice(0, 5).join(', ')}`);
    if (test.length === 0 || test.length === speakers.length) throw new DataError(listed, `lists ${test.length} of ${speakers.length} speakers; expected some but not all`);
  } else {
    test = speakers.filter((_, i) => i % 5 === 4);
    if (test.length === 0) test = [speakers[speakers.length - 1]];
  }
  const held = new Set(test);
  return {
    train: pack(dir, entries.filter((e) => !held.has(e.speaker)), o.speeds),
    test: pack(dir, entries.filter((e) => held.has(e.speaker))),
    testSpeakers: test,
    inputShape: [featureShape.steps, featureShape.features],
  };
}

/**
 * Holds out whole training speakers for validation (every `1/fraction`-th in name order), so that
 * validation, like the test, measures voices not trained on; their speed-perturbed copies are
 * dropped, so that validation sees recordings as they are, as the test does.
 */
export function speakerValidation(split: SpeechSplit, fraction: number): { train: SpeechSplit; val: SpeechSplit } {
  const speakers = [...new Set(split.speakers)].sort();
  const every = Math.max(2, Math.round(1 / fraction));
  const held = new Set(speakers.filter((_, i) => i % every === every - 1));
  const per = split.images.length / Math.max(1, split.count);
  const pick = (keep: (i: number) => boolean): SpeechSplit => {
    const idx = Array.from({ length: split.count }, (_, i) => i).filter(keep);
    const images = new Float32Array(idx.length * per);
    idx.forEach((i, k) => images.set(split.images.subarray(i * per, (i + 1) * per), k * per));
    return { images, labels: Uint8Array.from(idx, (i) => split.labels[i]), count: idx.length, speakers: idx.map((i) => split.speakers[i]), files: idx.map((i) => split.files[i]) };
  };
  return { train: pick((i) => !held.has(split.speakers[i])), val: pick((i) => held.has(split.speakers[i]) && !split.files[i].includes(COPY)) };
}
