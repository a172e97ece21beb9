/** The audio front end: WAV decoding of every supported encoding, its errors, resampling, FFT, trimming, features. */
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../src/audio/wav.ts';
import { resample } from '../src/audio/resample.ts';
import { fft, MFCCS, speechFeatures, STEPS, trimSilence } from '../src/audio/features.ts';

const tone = (hz: number, rate: number, seconds: number, amp = 0.5) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: ArrayLike<number>, from = 0, to = x.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
};

describe('WAV decoding', () => {
  const x = tone(440, 11025, 0.05);
  for (const bits of [8, 16, 24, 32, -32] as const) {
    it(`${bits === -32 ? 'float32' : `PCM ${bits}-bit`} mono round-trips within its quantisation`, () => {
      const a = decodeWav(encodeWav(x, 11025, bits), 'x.wav');
      expect(a.sampleRate).toBe(11025);
      expect(a.samples.length).toBe(x.length);
      const step = bits === 8 ? 1 / 100 : 1e-4;
      a.samples.forEach((v, i) => expect(Math.abs(v - x[i])).toBeLessThan(step));
    });
  }
  it('stereo is mixed down to the mean of its channels', () => {
    const inter = new Float32Array(200);
    for (let i = 0; i < 100; i++) [inter[2 * i], inter[2 * i + 1]] = [0.5, -0.1];
    const a = decodeWav(encodeWav(inter, 22050, 16, 2), 's.wav');
    expect(a.samples.length).toBe(100);
    expect(a.samples[7]).toBeCloseTo(0.2, 3);
  });
  it('malformed files get one line naming the file and what was expected', () => {
    const good = encodeWav(x, 8000, 16);
    const bad = (bytes: Uint8Array) => () => decodeWav(bytes, 'bad.wav');
    expect(bad(good.subarray(0, 100))).toThrow(/^bad\.wav: truncated: the "data" chunk declares \d+ bytes, 56 are present$/);
    expect(bad(good.subarray(0, 6))).toThrow(/^bad\.wav: truncated: 6 bytes/);
    const png = Uint8Array.from(good);
    png.set([0x89, 0x50, 0x4e, 0x47], 0);
    expect(bad(png)).toThrow(/^bad\.wav: not a WAV file: expected "RIFF"/);
    expect(bad(encodeWav([], 8000, 16))).toThrow('bad.wav: the "data" chunk holds 0 samples');
    const adpcm = Uint8Array.from(good);
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(bad(adpcm)).toThrow(/^bad\.wav: unsupported encoding: format 2 with 16 bits per sample; expected PCM/);
    const rate = Uint8Array.from(good);
    new DataView(rate.buffer).setUint32(24, 0, true);
    expect(bad(rate)).toThrow('bad.wav: field "sampleRate" is 0, expected 1000 to 768000 Hz');
    for (const f of [bad(good.subarray(0, 100)), bad(png), bad(adpcm)]) {
      try { f(); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
    }
  });
});

describe('resampling to 8 kHz', () => {
  it('keeps a 440 Hz tone and removes a 6 kHz one (above the new Nyquist)', () => {
    const low = resample(tone(440, 44100, 0.2), 44100, 8000);
    expect(low.length).toBe(1600);
    const want = tone(440, 8000, 0.2);
    let worst = 0;
    for (let i = 100; i < 1500; i++) worst = Math.max(worst, Math.abs(low[i] - want[i]));
    expect(worst).toBeLessThan(0.01);
    const high = resample(tone(6000, 48000, 0.2), 48000, 8000);
    expect(rms(high, 100, 1500)).toBeLessThan(0.01);
  });
  it('upsamples 4 kHz audio', () => {
    const up = resample(tone(300, 4000, 0.2), 4000, 8000);
    const want = tone(300, 8000, 0.2);
    for (let i = 100; i < 1500; i += 37) expect(up[i]).toBeCloseTo(want[i], 2);
  });
});

describe('front end', () => {
  it('the FFT equals a direct DFT', () => {
    const n = 16;
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + 0.3 * i);
    const im = new Float64Array(n);
    const x = Float64Array.from(re);
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let a = 0, b = 0;
      for (let t = 0; t < n; t++) {
        a += x[t] * Math.cos((2 * Math.PI * k * t) / n);
        b -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(a, 9);
      expect(im[k]).toBeCloseTo(b, 9);
    }
  });
  it('trims leading and trailing silence', () => {
    const x = new Float32Array(8000);
    x.set(tone(300, 8000, 0.3), 3000);
    const t = trimSilence(x);
    expect(t.length).toBeGreaterThan(2400);
    expect(t.length).toBeLessThan(2400 + 400);
  });
  it('features are [steps × MFCCs], finite, normalised per coefficient, whatever the rate and loudness', () => {
    // a glide from 300 Hz to 1.5 kHz, so the frames differ
    const chirp = (amp: number) => Float32Array.from({ length: 6400 }, (_, i) => amp * Math.sin(2 * Math.PI * (300 * i + (1200 * i * i) / (2 * 6400)) / 16000));
    const a = speechFeatures({ samples: chirp(0.9), sampleRate: 16000 });
    const b = speechFeatures({ samples: chirp(0.05), sampleRate: 16000 });
    expect(a.length).toBe(STEPS * MFCCS);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(rms(a)).toBeGreaterThan(0.5);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 3));
  });
});
