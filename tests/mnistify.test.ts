/**
 * MNIST-exact preprocessing: MNIST's own test digits written as PNG and as inverted JPEG and read
 * back through `predict`'s path score as the raw pixels do with the shipped model; the centre of
 * mass lands where MNIST's does; uneven light, coloured paper and odd pens do not change the
 * result much; blank, unreadable and multi-digit images get a clear message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { preprocessFile } from '../src/cli/predict.ts';
import { loadMnist, PIXELS } from '../src/data/mnist.ts';
import { decodeImage, type Rgba } from '../src/image/decode.ts';
import { CENTRE, mnistify, SIDE } from '../src/image/mnistify.ts';
import { grayPng } from '../src/image/png.ts';
import { defaultModelDir } from '../src/io/default-model.ts';
import { loadModel } from '../src/io/run-dir.ts';
import type { Sequential } from '../src/layers/sequential.ts';
import { setBackend } from '../src/tensor/context.ts';
import { predict } from '../src/train/predict.ts';

const N = 1000;
const test = loadMnist().test;
const raw = (i: number) => test.images.subarray(i * PIXELS, (i + 1) * PIXELS);

let tmp: string;
let model: Sequential;
let backend: WasmBackend;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-mnistify-'));
  backend = new WasmBackend();
  setBackend(backend);
  model = loadModel(defaultModelDir()).model;
});
afterAll(() => {
  model.dispose();
  backend.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

async function accuracy(images: Float32Array, count: number): Promise<number> {
  const probs = await predict(model, { images, labels: new Uint8Array(count), count });
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const p = Array.from(probs.subarray(i * 10, (i + 1) * 10));
    if (p.indexOf(Math.max(...p)) === test.labels[i]) correct++;
  }
  return correct / count;
}

/** An MNIST digit as an RGBA image, `zoom` times larger, with `paint(v, x, y)` choosing each pixel's colour. */
function rgba(i: number, zoom: number, paint: (v: number, x: number, y: number) => [number, number, number]): Rgba {
  const side = SIDE * zoom;
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const v = raw(i)[Math.floor(y / zoom) * SIDE + Math.floor(x / zoom)];
      data.set([...paint(v, x / side, y / side).map((c) => Math.max(0, Math.min(255, Math.round(c)))), 255], (y * side + x) * 4);
    }
  return { width: side, height: side, data };
}

function centreOfMass(p: Float32Array): [number, number] {
  let m = 0, x = 0, y = 0;
  for (let k = 0; k < p.length; k++) {
    m += p[k];
    x += p[k] * (k % SIDE);
    y += p[k] * Math.floor(k / SIDE);
  }
  return [x / m, y / m];
}

describe('MNIST test digits through predict\'s path', () => {
  it(`score within 0.3 points of the raw pixels, as PNG and as inverted JPEG (first ${N})`, async () => {
    const png = new Float32Array(N * PIXELS);
    const jpg = new Float32Array(N * PIXELS);
    for (let i = 0; i < N; i++) {
      const pngFile = join(tmp, `${i}.png`);
      writeFileSync(pngFile, grayPng(raw(i), SIDE, SIDE));
      const inverted = Buffer.alloc(PIXELS * 4);
      raw(i).forEach((v, k) => inverted.set([255 - Math.round(v * 255), 255 - Math.round(v * 255), 255 - Math.round(v * 255), 255], k * 4));
      const jpgFile = join(tmp, `${i}.jpg`);
      writeFileSync(jpgFile, jpeg.encode({ data: inverted, width: SIDE, height: SIDE }, 90).data);
      png.set(preprocessFile(pngFile).pixels, i * PIXELS);
      const j = preprocessFile(jpgFile);
      expect(j.inverted).toBe(true);
      jpg.set(j.pixels, i * PIXELS);
    }
    const base = await accuracy(test.images.subarray(0, N * PIXELS), N);
    const viaPng = await accuracy(png, N);
    const viaJpeg = await accuracy(jpg, N);
    console.log(`first ${N} MNIST test digits, shipped model: raw ${(base * 100).toFixed(1)}%, PNG ${(viaPng * 100).toFixed(1)}%, inverted JPEG ${(viaJpeg * 100).toFixed(1)}%`);
    expect(Math.abs(viaPng - base)).toBeLessThanOrEqual(0.003 + 1e-9);
    expect(Math.abs(viaJpeg - base)).toBeLessThanOrEqual(0.003 + 1e-9);
  }, 300_000);

  it('puts the centre of mass at (14, 14) in pixel-index coordinates, as MNIST does', () => {
    let sx = 0, sy = 0;
    const count = 100;
    for (let i = 0; i < count; i++) {
      // Three times larger and dark on light: everything is recomputed, nothing copied from the original.
      const p = mnistify(rgba(i, 3, (v) => [255 - 255 * v, 255 - 255 * v, 255 - 255 * v])).pixels;
      const [x, y] = centreOfMass(p);
      expect(Math.abs(x - CENTRE)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(Math.abs(y - CENTRE)).toBeLessThanOrEqual(0.5 + 1e-6);
      sx += x;
      sy += y;
    }
    const [mx, my] = [sx / count, sy / count];
    console.log(`mean centre of mass of ${count} re-preprocessed digits: (${mx.toFixed(2)}, ${my.toFixed(2)})`);
    expect(Math.abs(mx - CENTRE)).toBeLessThan(0.1);
    expect(Math.abs(my - CENTRE)).toBeLessThan(0.1);
    // A digit's box fits 20 pixels on its longer side, as MNIST's do.
    const p = mnistify(rgba(0, 4, (v) => [255 * v, 255 * v, 255 * v])).pixels;
    const rows = Array.from({ length: SIDE }, (_, y) => p.subarray(y * SIDE, (y + 1) * SIDE).some((v) => v > 0));
    const cols = Array.from({ length: SIDE }, (_, x) => rows.some((_, y) => p[y * SIDE + x] > 0));
    expect(Math.max(rows.filter(Boolean).length, cols.filter(Boolean).length)).toBe(20);
  });
});

describe('photos', () => {
  /** Relative L1 distance, allowing a shift of one pixel either way (a centre of mass near a half pixel may round to either side). */
  const close = (a: Float32Array, b: Float32Array) => {
    let best = Infinity;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        let d = 0;
        for (let y = 0; y < SIDE; y++)
          for (let x = 0; x < SIDE; x++) {
            const yy = y + dy;
            const xx = x + dx;
            d += Math.abs(a[y * SIDE + x] - (yy >= 0 && yy < SIDE && xx >= 0 && xx < SIDE ? b[yy * SIDE + xx] : 0));
          }
        best = Math.min(best, d);
      }
    return best / b.reduce((s, v) => s + v, 0);
  };

  it('removes uneven light, coloured paper and noise before cropping', () => {
    for (const i of [0, 1, 2, 3, 4]) {
      const clean = mnistify(rgba(i, 6, (v) => [255 - 255 * v, 255 - 255 * v, 255 - 255 * v])).pixels;
      // A lamp on one side: the paper goes from 250 to 110 across the page, the ink stays darker than the paper under it.
      const lamp = mnistify(rgba(i, 6, (v, x, y) => {
        const paper = 250 - 100 * x - 40 * y;
        const c = paper * (1 - 0.8 * v);
        return [c, c, c];
      }));
      expect(lamp.inverted).toBe(true);
      expect(close(lamp.pixels, clean), `lamp, digit ${i}`).toBeLessThan(0.35);
      // Blue ink on yellow paper.
      const colour = mnistify(rgba(i, 6, (v) => [250 - 220 * v, 240 - 180 * v, 180 + 20 * v]));
      expect(close(colour.pixels, clean), `colour, digit ${i}`).toBeLessThan(0.35);
      // Grain: a fixed pseudo-random pattern of ±40 grey levels.
      const noisy = mnistify(rgba(i, 6, (v, x, y) => {
        const n = 40 * Math.sin(12.9898 * x * 168 + 78.233 * y * 168) * Math.cos(4.1414 * y * 168);
        return [255 - 255 * v + n, 255 - 255 * v + n, 255 - 255 * v + n];
      }));
      expect(close(noisy.pixels, clean), `noise, digit ${i}`).toBeLessThan(0.45);
    }
  });

  it('brings a hairline pen and a marker towards MNIST\'s stroke', () => {
    // A digit 1 drawn as a 1-pixel line in a 300-pixel image, and as a 60-pixel-wide blob.
    const line = (width: number): Rgba => {
      const side = 300;
      const data = new Uint8Array(side * side * 4).fill(255);
      for (let y = 40; y < 260; y++)
        for (let x = 150 - Math.floor(width / 2); x < 150 + Math.ceil(width / 2); x++) data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
      return { width: side, height: side, data };
    };
    const widthOf = (p: Float32Array) => {
      const row = p.subarray(14 * SIDE, 15 * SIDE);
      return row.reduce((s, v) => s + v, 0);
    };
    const hairline = widthOf(mnistify(line(1)).pixels);
    const marker = widthOf(mnistify(line(70)).pixels);
    console.log(`a 1 drawn 1 px and 70 px wide on a 300-px page reads ${hairline.toFixed(1)} and ${marker.toFixed(1)} px wide (MNIST's 1s: about 2.5)`);
    expect(hairline).toBeGreaterThan(1.5);
    expect(hairline).toBeLessThan(4.5);
    expect(marker).toBeGreaterThan(1.5);
    expect(marker).toBeLessThan(4.5);
  });
});

describe('clear messages', () => {
  it('says a blank page is blank, and that two digits side by side must be cropped', () => {
    const blank: Rgba = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(230) };
    expect(() => mnistify(blank)).toThrow(/the image is blank/);
    // Noise alone is still blank.
    const grain = { ...blank, data: blank.data.map((v, k) => (k % 4 === 3 ? 255 : v + ((k * 2654435761) % 7))) };
    expect(() => mnistify(grain)).toThrow(/blank/);
    // "12": two MNIST digits next to each other.
    const a = rgba(2, 2, (v) => [255 * v, 255 * v, 255 * v]);
    const b = rgba(1, 2, (v) => [255 * v, 255 * v, 255 * v]);
    const w = a.width * 2;
    const data = new Uint8Array(w * a.height * 4);
    for (let y = 0; y < a.height; y++) {
      data.set(a.data.subarray(y * a.width * 4, (y + 1) * a.width * 4), y * w * 4);
      data.set(b.data.subarray(y * b.width * 4, (y + 1) * b.width * 4), (y * w + a.width) * 4);
    }
    expect(() => mnistify({ width: w, height: a.height, data })).toThrow(/2 digits side by side.*crop it to one digit/);
  });

  it('names the file that cannot be read', () => {
    const file = join(tmp, 'notes.png');
    writeFileSync(file, 'not an image');
    expect(() => preprocessFile(file)).toThrow(/notes\.png: not a PNG or JPEG/);
    const cut = join(tmp, 'cut.png');
    writeFileSync(cut, PNG.sync.write(new PNG({ width: 30, height: 30 })).subarray(0, 50));
    expect(() => preprocessFile(cut)).toThrow(/cut\.png: cannot decode/);
    expect(() => preprocessFile(join(tmp, 'missing.png'))).toThrow(/missing\.png: file not found/);
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow(/empty\.png: the file is empty/);
  });
});
