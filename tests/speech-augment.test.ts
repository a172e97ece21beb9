import { describe, expect, it } from 'vitest';
import { defaultSpeechAugment, SpeechAugmenter } from '../src/train/speech-augment.ts';

const S = 32, F = 13;
/** `n` smooth feature sequences, different from one another. */
const batch = (n: number) => Float32Array.from({ length: n * S * F }, (_, i) => Math.sin(i * 0.05 + Math.floor(i / (S * F))));

describe('speech augmentation', () => {
  it('is deterministic for a seed and step, and differs across seeds, steps and sequences', () => {
    const run = (seed: number, step: number) => {
      const x = batch(4);
      new SpeechAugmenter(S, F, defaultSpeechAugment, seed).apply(x, 4, step);
      return x;
    };
    expect(run(1, 5)).toEqual(run(1, 5));
    expect(run(1, 5)).not.toEqual(run(2, 5));
    expect(run(1, 5)).not.toEqual(run(1, 6));
    const x = run(1, 5);
    expect(x.every(Number.isFinite)).toBe(true);
    const original = batch(4);
    for (let i = 0; i < 4; i++) expect(x.subarray(i * S * F, (i + 1) * S * F)).not.toEqual(original.subarray(i * S * F, (i + 1) * S * F));
  });

  it('without distortions it is the identity; masks zero whole steps and whole coefficients', () => {
    const none = { stretch: 0, shift: 0, timeMasks: 0, timeMaskWidth: 0, featureMasks: 0, featureMaskWidth: 0, noise: 0 };
    const x = batch(3);
    new SpeechAugmenter(S, F, none, 0).apply(x, 3, 0);
    expect(x).toEqual(batch(3));
    const masked = batch(1).map((v) => v + 2); // no zeros of its own
    new SpeechAugmenter(S, F, { ...none, timeMasks: 1, timeMaskWidth: 4, featureMasks: 1, featureMaskWidth: 3 }, 7).apply(masked, 1, 3);
    const zeroSteps = Array.from({ length: S }, (_, s) => masked.subarray(s * F, (s + 1) * F).every((v) => v === 0)).filter(Boolean).length;
    const zeroCoefficients = Array.from({ length: F }, (_, f) => Array.from({ length: S }, (_, s) => masked[s * F + f]).every((v) => v === 0)).filter(Boolean).length;
    expect(zeroSteps).toBeLessThanOrEqual(4);
    expect(zeroCoefficients).toBeLessThanOrEqual(3);
    const zeros = masked.filter((v) => v === 0).length;
    expect(zeros).toBe(zeroSteps * F + zeroCoefficients * S - zeroSteps * zeroCoefficients);
  });

  it('a stretch moves the sequence in time and keeps its values within the original range', () => {
    const x = Float32Array.from({ length: S * F }, (_, i) => Math.floor(i / F)); // step index in every coefficient
    new SpeechAugmenter(S, F, { stretch: 0.2, shift: 2, timeMasks: 0, timeMaskWidth: 0, featureMasks: 0, featureMaskWidth: 0, noise: 0 }, 4).apply(x, 1, 1);
    for (let s = 1; s < S; s++) expect(x[s * F]).toBeGreaterThanOrEqual(x[(s - 1) * F]); // still in order
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThanOrEqual(S - 1);
    expect(Array.from({ length: S }, (_, s) => x[s * F])).not.toEqual(Array.from({ length: S }, (_, s) => s));
  });
});
