/**
 * RIFF/WAVE reading and writing: PCM of 8 (unsigned), 16, 24 or 32 bits and IEEE float of 32 or
 * 64 bits (WAVE_FORMAT_EXTENSIBLE included), any channel count up to 8 mixed down to mono, any
 * sample rate. A malformed file gets one line naming the file, the field and what was expected;
 * nothing is allocated from a header before the bytes behind it are known to exist.
 */

export class WavError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'WavError';
  }
}

export interface Audio {
  /** mono samples in [-1, 1] */
  samples: Float32Array;
  sampleRate: number;
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 8;
const MIN_RATE = 1000;
const MAX_RATE = 768_000;

const tag = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

export function decodeWav(bytes: Uint8Array, file = 'WAV'): Audio {
  if (bytes.length < 12) throw new WavError(file, `truncated: ${bytes.length} bytes, a WAV header needs at least 12`);
  if (tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') {
    throw new WavError(file, `not a WAV file: expected "RIFF" … "WAVE" at bytes 0 and 8, got ${JSON.stringify(tag(bytes, 0))} … ${JSON.stringify(tag(bytes, 8))}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { format: number; channels: number; rate: number; bits: number; align: number } | null = null;
  let data: { at: number; length: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) throw new WavError(file, `truncated "fmt " chunk: ${Math.min(size, bytes.length - body)} bytes, expected at least 16`);
      let format = view.getUint16(body, true);
      if (format === EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), align: view.getUint16(body + 12, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (body + size > bytes.length) throw new WavError(file, `truncated: the "data" chunk declares ${size} bytes, ${bytes.length - body} are present`);
      data = { at: body, length: size };
      if (fmt) break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new WavError(file, 'no "fmt " chunk: expected the sample format before the data');
  if (!data) throw new WavError(file, 'no "data" chunk: the file holds no samples');
  const { format, channels, rate, bits } = fmt;
  const kind = format === PCM && [8, 16, 24, 32].includes(bits) ? 'pcm' : format === FLOAT && (bits === 32 || bits === 64) ? 'float' : null;
  if (!kind) {
    throw new WavError(file, `unsupported encoding: format ${format} with ${bits} bits per sample; expected PCM (1) of 8, 16, 24 or 32 bits or IEEE float (3) of 32 or 64`);
  }
  if (channels < 1 || channels > MAX_CHANNELS) throw new WavError(file, `field "channels" is ${channels}, expected 1 to ${MAX_CHANNELS}`);
  if (rate < MIN_RATE || rate > MAX_RATE) throw new WavError(file, `field "sampleRate" is ${rate}, expected ${MIN_RATE} to ${MAX_RATE} Hz`);
  const width = bits / 8;
  const frames = Math.floor(data.length / (width * channels));
  if (frames === 0) throw new WavError(file, 'the "data" chunk holds 0 samples');
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let acc = 0;
    for (let c = 0; c < channels; c++) acc += readSample(view, data.at + (i * channels + c) * width, kind, bits);
    samples[i] = acc / channels;
  }
  return { samples, sampleRate: rate };
}

function readSample(view: DataView, at: number, kind: 'pcm' | 'float', bits: number): number {
  if (kind === 'float') {
    const v = bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
    return Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
  }
  switch (bits) {
    case 8: return (view.getUint8(at) - 128) / 128;
    case 16: return view.getInt16(at, true) / 32768;
    case 24: return ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16))) / 8388608;
    default: return view.getInt32(at, true) / 2147483648;
  }
}

/** 16-bit PCM mono: what the synthesiser writes and the tests build their files from. */
export function encodeWav(samples: ArrayLike<number>, sampleRate: number, bits: 8 | 16 | 24 | 32 | -32 = 16, channels = 1): Uint8Array {
  const float = bits === -32;
  const width = Math.abs(bits) / 8;
  const frames = Math.floor(samples.length / channels);
  const bytes = new Uint8Array(44 + frames * channels * width);
  const view = new DataView(bytes.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i); };
  put(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? FLOAT : PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * width, true);
  view.setUint16(32, channels * width, true);
  view.setUint16(34, Math.abs(bits), true);
  put(36, 'data');
  view.setUint32(40, frames * channels * width, true);
  for (let i = 0; i < frames * channels; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    const at = 44 + i * width;
    if (float) view.setFloat32(at, v, true);
    else if (bits === 8) view.setUint8(at, Math.round(v * 127) + 128);
    else if (bits === 16) view.setInt16(at, Math.round(v * 32767), true);
    else if (bits === 24) {
      const q = Math.round(v * 8388607);
      view.setUint8(at, q & 0xff);
      view.setUint8(at + 1, (q >> 8) & 0xff);
      view.setInt8(at + 2, q >> 16);
    } else view.setInt32(at, Math.round(v * 2147483647), true);
  }
  return bytes;
}
