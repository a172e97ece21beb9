/**
 * A spoken-digit set for users without recordings: espeak-ng says "zero" … "nine" in many voices
 * (English accents × voice variants), each rendition at its own speed and pitch, then the audio
 * is put in a random room (velvet-noise reverberation) with noise at a random SNR and random
 * silence around it, and written as 8 kHz 16-bit WAV in the Free Spoken Digit Dataset's layout
 * `{digit}_{voice}_{index}.wav`. A fifth of the voices, whole, are listed in test-speakers.txt:
 * the test set is voices the model never heard. The set is built in a sibling directory and
 * renamed into place at the end, so an interrupted run leaves nothing half-made under `out`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Rng } from '../kernels/random.ts';
import { decodeWav, encodeWav } from './wav.ts';
import { resample } from './resample.ts';
import { SAMPLE_RATE } from './features.ts';

const run = promisify(execFile);

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd', 'en-029'];
/** espeak-ng's voice variants that sound like a person (not its robots and effects) */
const VARIANTS = [
  'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'f1', 'f2', 'f3', 'f4', 'f5', 'klatt', 'klatt2', 'klatt3', 'klatt4', 'adam', 'Alex', 'Andy',
  'Annie', 'aunty', 'belinda', 'benjamin', 'caleb', 'david', 'ed', 'edward', 'Gene', 'iven', 'Jacky', 'john', 'Lee', 'linda', 'Michael', 'Mike',
  'paul', 'quincy', 'rob', 'robert', 'steph', 'travis', 'victor', 'zac', 'grandpa', 'grandma', 'croak', 'norbert', 'shelby', 'max',
];
export const MAX_VOICES = ACCENTS.length * VARIANTS.length;
export const TEST_SPEAKERS_FILE = 'test-speakers.txt';

export interface SynthOptions {
  out: string;
  /** distinct voices (accent × variant pairs) */
  voices: number;
  /** renditions of each digit per voice */
  repeats: number;
  seed: number;
  /** espeak-ng processes at once */
  jobs: number;
  log?: (line: string) => void;
}

/** Fails with one line when espeak-ng cannot run. */
async function checkEspeak(): Promise<void> {
  try {
    await run('espeak-ng', ['--version']);
  } catch {
    throw new Error('espeak-ng is not installed: `apt-get install espeak-ng` (Debian/Ubuntu) or `brew install espeak-ng`, or pass --data with recordings');
  }
}

/** Velvet-noise reverberation: sparse ±1 taps under an exponential decay of `rt60` seconds, mixed in at `wet`. */
function reverberate(x: Float32Array, rt60: number, wet: number, rng: Rng): Float32Array {
  const length = Math.round(rt60 * SAMPLE_RATE);
  const taps: Array<[number, number]> = [];
  let energy = 0;
  for (let n = 1; n < length; n += 1 + rng.int(12)) {
    const g = (rng.next() < 0.5 ? -1 : 1) * Math.exp((-6.9 * n) / length);
    taps.push([n, g]);
    energy += g * g;
  }
  const scale = energy > 0 ? wet / Math.sqrt(energy) : 0;
  const y = new Float32Array(x.length + length);
  for (let i = 0; i < x.length; i++) y[i] += x[i];
  for (const [n, g] of taps) for (let i = 0; i < x.length; i++) y[i + n] += x[i] * g * scale;
  return y;
}

/** Speech centred in random silence, noise at `snr` dB below its power (white, or brown: low rumble). */
function addNoise(x: Float32Array, snr: number, brown: boolean, rng: Rng): Float32Array {
  const before = Math.round(rng.next() * 0.25 * SAMPLE_RATE), after = Math.round(rng.next() * 0.25 * SAMPLE_RATE);
  const y = new Float32Array(before + x.length + after);
  y.set(x, before);
  let power = 0;
  for (const v of x) power += v * v;
  power /= Math.max(1, x.length);
  const sd = Math.sqrt(power / 10 ** (snr / 10));
  let walk = 0;
  for (let i = 0; i < y.length; i++) {
    const white = rng.normal();
    walk = 0.98 * walk + 0.2 * white;
    y[i] += sd * (brown ? walk : white);
  }
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  const gain = (0.2 + 0.7 * rng.next()) / Math.max(peak, 1e-9);
  for (let i = 0; i < y.length; i++) y[i] *= gain;
  return y;
}

/** Runs `tasks` with at most `jobs` at once. */
async function pool<T>(tasks: Array<() => Promise<T>>, jobs: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  }));
  return out;
}

export async function synthesizeSpokenDigits(o: SynthOptions): Promise<{ files: number; voices: string[]; testVoices: string[] }> {
  if (!Number.isInteger(o.voices) || o.voices < 2 || o.voices > MAX_VOICES) throw new Error(`--voices must be an integer from 2 to ${MAX_VOICES}, got ${o.voices}`);
  if (existsSync(o.out) && readdirSync(o.out).length > 0) throw new Error(`${o.out}: the directory already holds files; choose another --out or empty it`);
  await checkEspeak();
  const rng = new Rng(o.seed);
  const pairs = ACCENTS.flatMap((a) => VARIANTS.map((v) => [a, v] as const));
  const order = rng.shuffle(pairs.length);
  const chosen = Array.from({ length: o.voices }, (_, i) => pairs[order[i]]);
  const voices = chosen.map(([a, v]) => `${a}.${v}`.toLowerCase());
  const testVoices = voices.filter((_, i) => i % 5 === 4 || (o.voices < 5 && i === o.voices - 1));
  const staging = join(dirname(o.out), `.${basename(o.out)}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const tasks: Array<() => Promise<void>> = [];
    chosen.forEach(([accent, variant], v) => {
      for (let digit = 0; digit < 10; digit++) {
        for (let index = 0; index < o.repeats; index++) {
          // Each file draws from its own stream: the set does not depend on the order jobs finish.
          const r = new Rng((o.seed * 1_000_003 + v * 1009 + digit * 101 + index) >>> 0);
          const speed = 110 + r.int(110), pitch = 15 + r.int(70);
          const raw = join(staging, `.raw-${v}-${digit}-${index}.wav`);
          const name = `${digit}_${voices[v]}_${index}.wav`;
          tasks.push(async () => {
            await run('espeak-ng', ['-v', `${accent}+${variant}`, '-s', String(speed), '-p', String(pitch), '-w', raw, DIGIT_WORDS[digit]]);
            const audio = decodeWav(readFileSync(raw), raw);
            rmSync(raw);
            let x = resample(audio.samples, audio.sampleRate, SAMPLE_RATE);
            if (r.next() < 0.8) x = reverberate(x, 0.1 + 0.5 * r.next(), 0.2 + 0.6 * r.next(), r);
            x = addNoise(x, 5 + 25 * r.next(), r.next() < 0.3, r);
            writeFileSync(join(staging, name), encodeWav(x, SAMPLE_RATE, 16));
          });
        }
      }
    });
    let done = 0;
    await pool(tasks.map((t) => async () => {
      await t();
      if (++done % 200 === 0) o.log?.(`  ${done}/${tasks.length} files`);
    }), o.jobs);
    writeFileSync(join(staging, TEST_SPEAKERS_FILE), testVoices.join('\n') + '\n');
    if (existsSync(o.out)) rmSync(o.out, { recursive: true });
    mkdirSync(dirname(o.out), { recursive: true });
    renameSync(staging, o.out);
    return { files: tasks.length, voices, testVoices };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
