/** What the commands need for spoken digits: the data sets, and telling a speech model from an image one. */
import { loadSpokenDigits, speakerValidation, type SpeechSplit } from '../data/spoken-digits.ts';
import type { Sequential } from '../layers/sequential.ts';
import { MAX_VOICES, synthesizeSpokenDigits } from '../audio/synth.ts';

/** A model reads speech features [steps, features], not images [c, h, w]. */
export const readsSpeech = (model: Sequential): boolean => model.inputShape.length === 2;

export interface SpeechSets {
  train: SpeechSplit;
  val?: SpeechSplit;
  test: SpeechSplit;
  line: string;
}

/** Spoken digits from `dir`, test voices held out; validation holds out whole training voices too. */
export function spokenDigitSets(dir: string | undefined, validationSplit: number, limit?: number, speeds: readonly number[] = []): SpeechSets {
  if (!dir) throw new Error('--dataset spoken-digits needs --data DIR, a folder of {digit}_{speaker}_{index}.wav files (make one with: npx wgnn data spoken-digits --out DIR)');
  const sets = loadSpokenDigits(dir, { speeds });
  const all = limit ? { ...sets.train, count: Math.min(limit, sets.train.count), images: sets.train.images.subarray(0, Math.min(limit, sets.train.count) * (sets.train.images.length / sets.train.count)) } : sets.train;
  const { train, val } = validationSplit > 0 ? speakerValidation(all, validationSplit) : { train: all, val: undefined };
  const voices = (s: SpeechSplit) => new Set(s.speakers.slice(0, s.count)).size;
  return {
    train, val, test: sets.test,
    line: `${train.count} training${speeds.length ? ` (with copies at ${speeds.join(' and ')}× speed)` : ''} (${voices(train)} voices), ${val?.count ?? 0} validation (${val ? voices(val) : 0} voices), ${sets.test.count} test recordings (${sets.testSpeakers.length} held-out voices) from ${dir}`,
  };
}

export interface SynthCommandOptions {
  out: string;
  voices: number;
  repeats: number;
  seed: number;
  jobs: number;
}

export async function synthCommand(o: SynthCommandOptions): Promise<void> {
  console.log(`Synthesising ${o.voices} voices × 10 digits × ${o.repeats} with espeak-ng into ${o.out} (voices up to ${MAX_VOICES})`);
  const started = performance.now();
  const r = await synthesizeSpokenDigits({ ...o, log: (l) => console.log(l) });
  console.log(`Wrote ${r.files} files in ${((performance.now() - started) / 1000).toFixed(0)} s; test voices (held out): ${r.testVoices.join(', ')}`);
  console.log(`Train on them: npx wgnn train --model lstm --data ${o.out}`);
}
