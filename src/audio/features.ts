/**
 * The speech front end: 8 kHz mono → silence trimmed, peak-normalised → 25 ms Hamming frames
 * every 10 ms → 256-point FFT power spectrum → 26 mel filters (0–4 kHz) → log → 13 MFCCs (DCT-II)
 * → each coefficient's mean and spread removed over the utterance (cepstral mean and variance
 * normalisation, which takes out the microphone and most of the room) → the frames resampled in
 * time to a fixed number of steps, so that a digit said slowly and one said fast line up and a
 * batch is one tensor.
 */
import { decodeWav, type Audio } from './wav.ts';
import { resample } from './resample.ts';

export const SAMPLE_RATE = 8000;
const FRAME = 200;
const HOP = 80;
const FFT = 256;
const MELS = 26;
export const MFCCS = 13;
/** time steps of every utterance's feature sequence */
export const STEPS = 32;
/** a frame is speech when its energy is within this many dB of the loudest frame's */
const SILENCE_DB = 35;

export interface FeatureShape {
  steps: number;
  features: number;
}
export const featureShape: FeatureShape = { steps: STEPS, features: MFCCS };

/** cos and sin of −2πk/n for k < n/2, per FFT length: the butterflies' twiddles, computed once. */
const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function twiddlesOf(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (!t) {
    t = { cos: Float64Array.from({ length: n / 2 }, (_, k) => Math.cos((-2 * Math.PI * k) / n)), sin: Float64Array.from({ length: n / 2 }, (_, k) => Math.sin((-2 * Math.PI * k) / n)) };
    twiddles.set(n, t);
  }
  return t;
}

/** In-place iterative radix-2 FFT of (re, im), length a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const { cos, sin } = twiddlesOf(n);
  for (let len = 2; len <= n; len <<= 1) {
    const stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = cos[k * stride], wi = sin[k * stride];
        const a = i + k, b = a + len / 2;
        const tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** Triangular filters evenly spaced in mel from 0 to Nyquist, over the FFT's bins. */
function melFilters(): Float64Array[] {
  const bins = FFT / 2 + 1;
  const top = mel(SAMPLE_RATE / 2);
  const centres = Array.from({ length: MELS + 2 }, (_, i) => (hz((top * i) / (MELS + 1)) * FFT) / SAMPLE_RATE);
  return Array.from({ length: MELS }, (_, m) => {
    const f = new Float64Array(bins);
    const [l, c, r] = [centres[m], centres[m + 1], centres[m + 2]];
    for (let k = 0; k < bins; k++) f[k] = k <= l || k >= r ? 0 : k <= c ? (k - l) / (c - l) : (r - k) / (r - c);
    return f;
  });
}
const filters = melFilters();
/** the DCT-II rows, orthonormal: dct[k][m] */
const dct = Array.from({ length: MFCCS }, (_, k) => Float64Array.from({ length: MELS }, (_, m) => Math.cos((Math.PI * k * (m + 0.5)) / MELS) * Math.sqrt((k === 0 ? 1 : 2) / MELS)));
const hamming = Float64Array.from({ length: FRAME }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (FRAME - 1)));

/** Drops leading and trailing frames quieter than SILENCE_DB below the loudest (all-silent input is kept whole). */
export function trimSilence(x: Float32Array): Float32Array {
  const frames = Math.max(1, Math.floor(x.length / HOP));
  const energy = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = f * HOP; i < Math.min(x.length, f * HOP + FRAME); i++) e += x[i] * x[i];
    energy[f] = e;
  }
  const loudest = Math.max(...energy);
  if (loudest === 0) return x;
  const floor = loudest * 10 ** (-SILENCE_DB / 10);
  let first = 0, last = frames - 1;
  while (energy[first] < floor) first++;
  while (energy[last] < floor) last--;
  return x.subarray(first * HOP, Math.min(x.length, last * HOP + FRAME));
}

/** Scales to a peak of 1 after removing the DC offset; silence stays silence. */
export function normalise(x: Float32Array): Float32Array {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i] - mean));
  const y = new Float32Array(x.length);
  if (peak > 0) for (let i = 0; i < x.length; i++) y[i] = (x[i] - mean) / peak;
  return y;
}

/** MFCC frames of 8 kHz samples: [frames][MFCCS]. */
export function mfcc(x: Float32Array): Float64Array[] {
  const padded = x.length < FRAME ? Float32Array.from({ length: FRAME }, (_, i) => x[i] ?? 0) : x;
  const frames = 1 + Math.floor((padded.length - FRAME) / HOP);
  const out: Float64Array[] = [];
  const re = new Float64Array(FFT), im = new Float64Array(FFT);
  const logMel = new Float64Array(MELS);
  const power = new Float64Array(FFT / 2 + 1);
  for (let f = 0; f < frames; f++) {
    re.fill(0);
    im.fill(0);
    // pre-emphasis then the window
    for (let i = 0; i < FRAME; i++) {
      const at = f * HOP + i;
      re[i] = (padded[at] - 0.97 * (at > 0 ? padded[at - 1] : 0)) * hamming[i];
    }
    fft(re, im);
    for (let k = 0; k <= FFT / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];
    for (let m = 0; m < MELS; m++) {
      let e = 0;
      const w = filters[m];
      for (let k = 0; k <= FFT / 2; k++) if (w[k] > 0) e += w[k] * power[k];
      logMel[m] = Math.log(e + 1e-10);
    }
    const c = new Float64Array(MFCCS);
    for (let k = 0; k < MFCCS; k++) {
      let acc = 0;
      for (let m = 0; m < MELS; m++) acc += logMel[m] * dct[k][m];
      c[k] = acc;
    }
    out.push(c);
  }
  return out;
}

/** Per-coefficient mean and variance normalisation over the utterance, in place. */
function cmvn(frames: Float64Array[]): void {
  for (let k = 0; k < MFCCS; k++) {
    let mean = 0;
    for (const f of frames) mean += f[k];
    mean /= frames.length;
    let v = 0;
    for (const f of frames) v += (f[k] - mean) ** 2;
    const sd = Math.sqrt(v / frames.length) + 1e-5;
    for (const f of frames) f[k] = (f[k] - mean) / sd;
  }
}

/** `frames` linearly interpolated in time to `steps` rows, flattened [steps · MFCCS]. */
function toSteps(frames: Float64Array[], steps: number): Float32Array {
  const out = new Float32Array(steps * MFCCS);
  for (let s = 0; s < steps; s++) {
    const t = frames.length === 1 ? 0 : (s * (frames.length - 1)) / (steps - 1);
    const i = Math.min(Math.floor(t), frames.length - 1), j = Math.min(i + 1, frames.length - 1), w = t - i;
    for (let k = 0; k < MFCCS; k++) out[s * MFCCS + k] = (1 - w) * frames[i][k] + w * frames[j][k];
  }
  return out;
}

/** Samples at any rate → the model's input, [STEPS · MFCCS]. */
export function speechFeatures(audio: Audio): Float32Array {
  const x = normalise(trimSilence(normalise(resample(audio.samples, audio.sampleRate, SAMPLE_RATE))));
  const frames = mfcc(x);
  cmvn(frames);
  return toSteps(frames, STEPS);
}

/** A WAV file's bytes → the model's input; `file` names it in errors. */
export function wavFeatures(bytes: Uint8Array, file: string): Float32Array {
  return speechFeatures(decodeWav(bytes, file));
}
