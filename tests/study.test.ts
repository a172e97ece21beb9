/**
 * The study workflow end to end on the reference backend with tiny runs: resume equality,
 * checkpoints, corrupt files, evaluate's outputs, a non-finite loss, predict on PNG and JPEG.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../src/cli/evaluate.ts';
import { inspectRun } from '../src/cli/inspect.ts';
import { predictFiles } from '../src/cli/predict.ts';
import { train, type TrainOptions } from '../src/cli/train.ts';
import { limit, loadMnist, PIXELS } from '../src/data/mnist.ts';
import { decodeImage } from '../src/image/decode.ts';
import { mnistify } from '../src/image/mnistify.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { CHECKPOINT_FILE } from '../src/io/checkpoint.ts';
import { loadSafetensors } from '../src/io/safetensors.ts';
import { quietScratchDir, trainOptions } from './helpers.ts';

const mnist = loadMnist();
const scratch = quietScratchDir('wgnn-study-');

const base: TrainOptions = trainOptions({
  model: 'mlp', epochs: 3, batchSize: 50, validationSplit: 0.25, seed: 7, backend: 'reference', limit: 400, test: false,
  dropout: 0.2, earlyStopping: true, patience: 5, reduceLr: true, reduceLrFactor: 0.5, reduceLrPatience: 1, minLr: 1e-5,
});

describe('checkpoints and resume', () => {
  let full: string;
  beforeAll(async () => {
    full = join(scratch(), 'full');
    await train({ ...base, out: full });
  });

  it('an interrupted run resumed from its checkpoint ends with the same weights and history', async () => {
    const part = join(scratch(), 'part');
    await train({ ...base, epochs: 2, out: part });
    await train({ ...base, epochs: 3, resume: part, backend: 'reference' }, new Set(['epochs']));
    expect(readFileSync(join(part, 'model.safetensors')).equals(readFileSync(join(full, 'model.safetensors')))).toBe(true);
    const tensors = (d: string) => loadSafetensors(join(d, CHECKPOINT_FILE)).tensors;
    expect(tensors(part)).toEqual(tensors(full));
    const strip = (h: { seconds: number; msPerStep: number }[]) => h.map(({ seconds: _s, msPerStep: _m, ...rest }) => rest);
    const history = (d: string) => strip(JSON.parse(readFileSync(join(d, 'history.json'), 'utf8')));
    expect(history(part)).toEqual(history(full));
    expect(history(full)).toHaveLength(3);
  });

  it('writes every file atomically: no temporary files are left, and learning curves and report exist', () => {
    const files = readdirSync(full);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of ['loss.png', 'loss.svg', 'accuracy.png', 'lr.png', 'report.md', 'config.json', 'history.json']) expect(files).toContain(f);
    expect(readFileSync(join(full, 'loss.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(full, 'report.md'), 'utf8')).toContain('![loss](loss.png)');
  });

  it('Ctrl-C (an aborted signal) stops cleanly and keeps the last checkpoint', async () => {
    const before = readFileSync(join(full, CHECKPOINT_FILE));
    const signal = AbortSignal.abort();
    await train({ ...base, epochs: 5, resume: full, signal }, new Set(['epochs']));
    expect(process.exitCode).toBe(130);
    process.exitCode = 0;
    expect(readFileSync(join(full, CHECKPOINT_FILE)).equals(before)).toBe(true);
  });

  it('refuses a truncated checkpoint, a corrupt header and offsets past the end, naming the file', async () => {
    const ckpt = readFileSync(join(full, CHECKPOINT_FILE));
    const dir = join(scratch(), 'corrupt');
    cpSync(full, dir, { recursive: true });
    const resume = () => train({ ...base, epochs: 4, resume: dir }, new Set(['epochs']));
    writeFileSync(join(dir, CHECKPOINT_FILE), ckpt.subarray(0, ckpt.length - 100));
    await expect(resume()).rejects.toThrow(/checkpoint\.safetensors: .*truncated/);
    const bad = Buffer.from(ckpt);
    bad.write('!', 8);
    writeFileSync(join(dir, CHECKPOINT_FILE), bad);
    await expect(resume()).rejects.toThrow(/checkpoint\.safetensors: header must be a JSON object/);
    // The first tensor's offsets moved 4 bytes on (same header length): a gap, and the last runs past the end.
    const n = Number(ckpt.readBigUInt64LE(0));
    const header = ckpt.subarray(8, 8 + n).toString().replace(/"data_offsets":\[0,(\d+)\]/, (_, b) => `"data_offsets":[4,${Number(b) + 4}]`);
    expect(Buffer.byteLength(header)).toBe(n);
    writeFileSync(join(dir, CHECKPOINT_FILE), Buffer.concat([ckpt.subarray(0, 8), Buffer.from(header), ckpt.subarray(8 + n)]));
    await expect(resume()).rejects.toThrow(/checkpoint\.safetensors: tensor ".*", data_offsets: begins at 4, leaving a 4-byte gap/);
  });

  it('a corrupt config.json or mismatched weights get clear errors', () => {
    const dir = join(scratch(), 'corrupt');
    writeFileSync(join(dir, 'config.json'), '{"format": "wgnn-run", ');
    expect(() => loadModel(dir)).toThrow(/config\.json: not valid JSON/);
    writeFileSync(join(dir, 'config.json'), readFileSync(join(full, 'config.json')));
    writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(full, 'model.safetensors')).subarray(0, 50));
    expect(() => loadModel(dir)).toThrow(/model\.safetensors: truncated/);
  });

  it('evaluate writes the confusion matrix and misclassified PNGs, the report and its numbers', async () => {
    const e = await evaluateRun(full, { backend: 'reference', json: true, limit: 300, worst: 12 });
    expect(e.count).toBe(300);
    expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(e.accuracy).toBeGreaterThan(0.5);
    for (const f of ['confusion-matrix.png', 'confusion-matrix.svg', 'misclassified.png', 'evaluation.json']) {
      expect(existsSync(join(full, f))).toBe(true);
    }
    expect(readFileSync(join(full, 'misclassified.png')).subarray(1, 4).toString()).toBe('PNG');
    const report = readFileSync(join(full, 'report.md'), 'utf8');
    expect(report).toContain('weighted avg');
    expect(report).toContain('![confusion matrix](confusion-matrix.png)');
  });

  it('inspect gives per-tensor statistics and a histogram PNG', async () => {
    const i = await inspectRun(full, { json: true });
    expect(i.layers.map((l) => l.name)).toEqual(['dense.weight', 'dense.bias', 'dense_1.weight', 'dense_1.bias']);
    expect(i.total).toBe(101_770);
    expect(i.layers[0].std).toBeGreaterThan(0);
    expect(existsSync(join(full, 'weights.png'))).toBe(true);
  });
});

describe('a non-finite loss', () => {
  it('stops with a message naming the step and suggesting a lower learning rate', async () => {
    const out = join(scratch(), 'nan');
    await expect(train({ ...base, earlyStopping: false, reduceLr: false, optimizer: 'sgd', lr: 1e12, out })).rejects.toThrow(
      /loss became (NaN|Infinity|-Infinity) at epoch 1, step \d+.*lower learning rate.*no checkpoint/,
    );
    expect(existsSync(join(out, 'model.safetensors'))).toBe(false);
  });
});

/** An 8-bit palette PNG, which pngjs can read but not write. */
function palettePng(gray: Float32Array, w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const plte = Buffer.alloc(256 * 3);
  for (let i = 0; i < 256; i++) plte.fill(255 - i, 3 * i, 3 * i + 3); // index i is dark-on-light gray
  const raw = Buffer.alloc(h * (w + 1));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = Math.round(gray[y * w + x] * 255);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** `gray` (28×28 in [0, 1]) enlarged `zoom` times, as RGBA, light on dark or inverted. */
function rgba(gray: Float32Array, zoom: number, invert: boolean): { width: number; height: number; data: Buffer } {
  const s = 28 * zoom;
  const data = Buffer.alloc(s * s * 4);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const v = Math.round(gray[Math.floor(y / zoom) * 28 + Math.floor(x / zoom)] * 255);
      const c = invert ? 255 - v : v;
      data.set([c, Math.round(c * 0.9), c, 255], (y * s + x) * 4);
    }
  }
  return { width: s, height: s, data };
}

/** The best correlation over shifts of up to two pixels: centring by mass may move a digit by one. */
function alignedCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let best = -1;
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      const shifted = new Float32Array(784);
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
        const sy = y + dy, sx = x + dx;
        if (sy >= 0 && sy < 28 && sx >= 0 && sx < 28) shifted[y * 28 + x] = b[sy * 28 + sx];
      }
      best = Math.max(best, correlation(a, shifted));
    }
  }
  return best;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) ** 2; bb += (b[i] - mb) ** 2; }
  return ab / Math.sqrt(aa * bb);
}

describe('predict', () => {
  const test = limit(mnist.test, 8);
  const image = (i: number) => test.images.subarray(i * PIXELS, (i + 1) * PIXELS);

  it('preprocessing recovers an MNIST digit from light-on-dark, inverted, enlarged, palette, 16-bit and JPEG files', () => {
    const dir = join(scratch(), 'pre');
    rmSync(dir, { recursive: true, force: true });
    for (let i = 0; i < 4; i++) {
      const original = image(i);
      const files: Record<string, Buffer> = {
        gray: PNG.sync.write(Object.assign(new PNG({ width: 28, height: 28 }), { data: rgba(original, 1, false).data }), { colorType: 0 }),
        inverted: PNG.sync.write(Object.assign(new PNG({ width: 84, height: 84 }), { data: rgba(original, 3, true).data })),
        palette: palettePng(original, 28, 28),
        // pngjs takes 16-bit input as 16-bit RGBA samples
        sixteen: PNG.sync.write(Object.assign(new PNG({ width: 56, height: 56 }), { data: Buffer.from(Uint16Array.from(rgba(original, 2, true).data, (v) => v * 257).buffer) }), { colorType: 0, bitDepth: 16 }),
        jpeg: jpeg.encode(rgba(original, 4, true), 90).data,
      };
      for (const [kind, bytes] of Object.entries(files)) {
        const p = mnistify(decodeImage(bytes, kind));
        expect(p.inverted, kind).toBe(kind !== 'gray');
        expect(alignedCorrelation(p.pixels, original), `${kind} of test image ${i}`).toBeGreaterThan(0.85);
      }
    }
  });

  it('gets the digits right from PNG, inverted PNG and JPEG, and reports bad files while predicting the others', async () => {
    // A brief run that reads most digits right; what it gets right must survive every file format.
    const out = join(scratch(), 'predict-model');
    await train({ ...base, limit: 2500, epochs: 2, validationSplit: 0, dropout: undefined, earlyStopping: false, reduceLr: false, out });
    const dir = join(scratch(), 'images');
    rmSync(dir, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(dir);
    const files: string[] = [];
    for (let i = 0; i < 8; i++) {
      writeFileSync(join(dir, `${i}.png`), PNG.sync.write(Object.assign(new PNG({ width: 28, height: 28 }), { data: rgba(image(i), 1, false).data })));
      writeFileSync(join(dir, `${i}-inverted.png`), PNG.sync.write(Object.assign(new PNG({ width: 112, height: 112 }), { data: rgba(image(i), 4, true).data })));
      writeFileSync(join(dir, `${i}.jpg`), jpeg.encode(rgba(image(i), 5, true), 85).data);
      files.push(join(dir, `${i}.png`), join(dir, `${i}-inverted.png`), join(dir, `${i}.jpg`));
    }
    writeFileSync(join(dir, 'notes.png'), 'not an image');
    writeFileSync(join(dir, 'cut.png'), readFileSync(join(dir, '0.png')).subarray(0, 60));
    files.push(join(dir, 'notes.png'), join(dir, 'cut.png'), join(dir, 'missing.jpg'));
    const results = await predictFiles(out, files, { backend: 'reference', json: true, savePreprocessed: join(dir, 'seen') });
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    const errors = results.filter((r) => 'error' in r).map((r) => ('error' in r ? r.error : ''));
    expect(errors).toEqual([
      expect.stringMatching(/notes\.png: not a PNG or JPEG file/),
      expect.stringMatching(/cut\.png: cannot decode the image/),
      expect.stringMatching(/missing\.jpg: file not found/),
    ]);
    const digits = results.filter((r) => !('error' in r)).map((r) => ('digit' in r ? r.digit : -1));
    expect(digits).toHaveLength(24);
    let right = 0;
    for (let i = 0; i < 8; i++) {
      const [png, inverted, jpg] = digits.slice(3 * i, 3 * i + 3);
      expect(inverted, `test image ${i}`).toBe(png);
      expect(jpg, `test image ${i}`).toBe(png);
      if (png === test.labels[i]) right++;
    }
    expect(right).toBeGreaterThanOrEqual(7);
    expect(existsSync(join(dir, 'seen', '0-inverted.png.28x28.png'))).toBe(true);
  });
});
