/**
 * Random distortions of speech features [steps, features] (src/audio/features.ts), done on the
 * host batch before upload, for the voices and speaking styles the training set lacks: a random
 * stretch and shift in time (a word said faster, or trimmed a little early or late), then
 * SpecAugment's masks (Park et al. 2019) — a few runs of time steps and a band of coefficients
 * set to zero, the utterance's mean after normalisation — and a little Gaussian noise. Every draw
 * depends only on (seed, step, index in batch), so a run is repeatable and a resumed run sees the
 * same batches.
 */
import { hash32, Rng } from '../kernels/random.ts';

export interface SpeechAugmentOptions {
  /** time stretch drawn in [1 − stretch, 1 + stretch] */
  stretch: number;
  /** largest shift in time steps, either way */
  shift: number;
  /** time masks per utterance */
  timeMasks: number;
  /** widest time mask, in steps */
  timeMaskWidth: number;
  /** coefficient masks per utterance */
  featureMasks: number;
  /** widest coefficient mask */
  featureMaskWidth: number;
  /** standard deviation of the added noise (features have unit variance) */
  noise: number;
}

/** The speeds of the extra copies of each training recording that `--augment` adds (src/data/spoken-digits.ts). */
export const SPEED_PERTURBATION: readonly number[] = [0.88, 1.12];

export const defaultSpeechAugment: SpeechAugmentOptions = { stretch: 0.12, shift: 1.5, timeMasks: 2, timeMaskWidth: 3, featureMasks: 1, featureMaskWidth: 2, noise: 0.1 };

export class SpeechAugmenter {
  readonly #out: Float32Array;

  constructor(readonly steps: number, readonly features: number, readonly o: SpeechAugmentOptions = defaultSpeechAugment, readonly seed = 0) {
    this.#out = new Float32Array(steps * features);
  }

  apply(x: Float32Array, n: number, step: number): void {
    const base = hash32((this.seed ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0);
    for (let i = 0; i < n; i++) this.one(x, i * this.steps * this.features, new Rng(hash32((base + i) >>> 0)));
  }

  private one(x: Float32Array, off: number, rng: Rng): void {
    const { steps: S, features: F, o } = this;
    const out = this.#out;
    const sym = () => 2 * rng.next() - 1;
    const stretch = 1 + sym() * o.stretch, shift = sym() * o.shift, centre = (S - 1) / 2;
    for (let s = 0; s < S; s++) {
      // Output step s reads the input at a stretched, shifted position, held at the ends.
      const t = Math.min(S - 1, Math.max(0, centre + (s - centre) * stretch + shift));
      const i = Math.floor(t), j = Math.min(S - 1, i + 1), w = t - i;
      for (let f = 0; f < F; f++) out[s * F + f] = (1 - w) * x[off + i * F + f] + w * x[off + j * F + f] + o.noise * rng.normal();
    }
    for (let m = 0; m < o.timeMasks; m++) {
      const width = rng.int(o.timeMaskWidth + 1), from = rng.int(S - width + 1);
      out.fill(0, from * F, (from + width) * F);
    }
    for (let m = 0; m < o.featureMasks; m++) {
      const width = rng.int(o.featureMaskWidth + 1), from = rng.int(F - width + 1);
      for (let s = 0; s < S; s++) out.fill(0, s * F + from, s * F + from + width);
    }
    x.set(out, off);
  }
}
