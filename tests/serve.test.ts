/**
 * `wgnn serve` end to end: a small MLP trained here, the server started through the CLI in its own
 * process, and Debian's Chromium (through playwright-core, never a downloaded browser) drawing
 * MNIST test digits on the page, uploading one, then a bounded load test and the refusals.
 * Without /usr/bin/chromium the browser tests skip locally; in CI (CI=true) they fail.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../src/backends/select.ts';
import { train } from '../src/cli/train.ts';
import { limit, loadMnist, PIXELS } from '../src/data/mnist.ts';
import { decodeImage } from '../src/image/decode.ts';
import { mnistify } from '../src/image/mnistify.ts';
import { loadModel } from '../src/io/run-dir.ts';
import type { Sequential } from '../src/layers/sequential.ts';
import type { ModelInfo } from '../src/serve/server.ts';
import { setBackend } from '../src/tensor/context.ts';
import { predict } from '../src/train/predict.ts';
import { CHROMIUM, chromiumAvailable, spawnServe } from './helpers.ts';

const haveChromium = chromiumAvailable();

const BACKEND = 'wasm';
const SCREENSHOT = resolve('runs/screenshots/serve.png');

const test = limit(loadMnist().test, 200);
const image = (i: number) => test.images.subarray(i * PIXELS, (i + 1) * PIXELS);

/** Test image `i` as a PNG: light on dark at 28×28, or dark on light and `zoom` times larger. */
function png(i: number, zoom = 1, invert = false): Buffer {
  const side = 28 * zoom;
  const out = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = Math.round(image(i)[Math.floor(y / zoom) * 28 + Math.floor(x / zoom)] * 255);
      out.data.set([invert ? 255 - v : v, invert ? 255 - v : v, invert ? 255 - v : v, 255], (y * side + x) * 4);
    }
  }
  return PNG.sync.write(out);
}

let tmp: string;
let server: ChildProcess;
let url: string;
let model: Sequential;
let browser: BrowserContext | undefined;


async function direct(pixels: Float32Array[]): Promise<number[][]> {
  const images = new Float32Array(pixels.length * PIXELS);
  pixels.forEach((p, i) => images.set(p, i * PIXELS));
  const probs = await predict(model, { images, labels: new Uint8Array(pixels.length), count: pixels.length });
  return pixels.map((_, i) => Array.from(probs.subarray(i * 10, (i + 1) * 10)));
}

/** The little of the page's globals that the tests read (this file is compiled without the DOM's types). */
interface InPage {
  document: { body: { dataset: Record<string, string> }; getElementById(id: string): { textContent: string } };
}

interface Answer { digit: number; probabilities: number[]; preprocessed: number[] }

async function post(body: Buffer | string, type: string): Promise<{ status: number; json: Answer & { error?: string } }> {
  const res = await fetch(`${url}api/predict`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: (await res.json()) as Answer & { error?: string } };
}

async function get<T>(path: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, json: (await res.json()) as T };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-serve-'));
  const dir = join(tmp, 'run');
  const quiet = [vi.spyOn(process.stdout, 'write').mockImplementation(() => true), vi.spyOn(console, 'log').mockImplementation(() => {})];
  await train({
    model: 'mlp', epochs: 2, batchSize: 32, validationSplit: 0, optimizer: 'adam', seed: 1, backend: BACKEND, limit: 4000, json: false, test: true, out: dir,
    batchNorm: true, earlyStopping: false, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBest: true,
    reduceLr: false, reduceLrFactor: 0.5, reduceLrPatience: 1, minLr: 1e-5, lrSchedule: 'constant', lrDecay: 0.5, lrDecayEpochs: 5,
  });
  quiet.forEach((s) => s.mockRestore());
  const { backend } = await selectBackend(BACKEND);
  setBackend(backend);
  model = loadModel(dir).model;
  ({ child: server, url } = await spawnServe(dir, BACKEND, 20));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!haveChromium)('the page in Chromium', () => {
  let page: Page;
  beforeAll(async () => {
    // A fresh profile each run; playwright passes it as --user-data-dir.
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 900, height: 640 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  // The page counts what it asks the server in body[data-requested] and marks the answer it
  // shows in body[data-shown].
  const asked = async () => Number(await page.getAttribute('body', 'data-requested'));
  /** Waits until the page asked something after the `before`-th request and shows the last answer. */
  const settled = (before: number) =>
    page.waitForFunction(
      (b) => {
        const { requested, shown } = (globalThis as unknown as InPage).document.body.dataset;
        return Number(requested) > b && shown === requested;
      },
      before,
      { timeout: 10_000 },
    );

  it('loads in under a second and shows the model', async () => {
    const shown = () => page.waitForFunction(() => /parameters/.test((globalThis as unknown as InPage).document.getElementById('model').textContent));
    // The first visit also starts the browser's renderer; the second is what a user waits for.
    let start = performance.now();
    await page.goto(url);
    await shown();
    const first = performance.now() - start;
    start = performance.now();
    await page.reload();
    await shown();
    const ms = performance.now() - start;
    const load = await page.evaluate<number>(`performance.getEntriesByType('navigation')[0].loadEventEnd`);
    console.log(`page: model info shown ${first.toFixed(0)} ms after the first visit began, ${ms.toFixed(0)} ms after a reload (load event at ${load.toFixed(0)} ms)`);
    expect(ms).toBeLessThan(1000);
    expect(await page.textContent('#model')).toMatch(/mlp · 101,770 parameters · test accuracy \d+\.\d\d%/);
    expect(await page.textContent('#layers')).toBe('Flatten 784 → Dense 128 → Dense 10');
  });

  it('reads digits drawn stroke by stroke from MNIST test images', async () => {
    // Digits this model reads confidently from the original image, one per label, so that the
    // test checks the page's path (pointer strokes → canvas → PNG → server → page), not accuracy.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(png(i), 'image/png')));
    const picks: number[] = [];
    answers.forEach(({ json }, i) => {
      const label = test.labels[i];
      if (json.digit === label && json.probabilities[label] > 0.9 && !picks.some((p) => test.labels[p] === label)) picks.push(i);
    });
    expect(picks.length).toBeGreaterThanOrEqual(4);
    const box = (await page.locator('#pad').boundingBox())!;
    const cell = box.width / 28;
    for (const i of picks.slice(0, 4)) {
      await page.click('#clear');
      const before = await asked();
      // Each run of ink in a row becomes one stroke, as a pen would fill the digit in.
      let strokes = 0;
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          if (image(i)[y * 28 + x] < 0.5) continue;
          let end = x;
          while (end + 1 < 28 && image(i)[y * 28 + end + 1] >= 0.5) end++;
          const py = box.y + (y + 0.5) * cell;
          await page.mouse.move(box.x + (x + 0.5) * cell, py);
          await page.mouse.down();
          await page.mouse.move(box.x + (end + 0.5) * cell, py, { steps: 3 });
          await page.mouse.up();
          strokes++;
          x = end;
        }
      }
      await settled(before);
      expect(await asked()).toBe(before + strokes);
      expect(await page.textContent('#digit'), `test image ${i}`).toBe(String(test.labels[i]));
      expect(await page.isVisible('#bars li.top')).toBe(true);
      if (i === picks[0]) {
        mkdirSync(resolve('runs/screenshots'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT });
        console.log(`screenshot: ${SCREENSHOT}`);
      }
    }
    await page.click('#clear');
    expect(await page.textContent('#digit')).toBe('–');
  });

  it('reads an uploaded PNG (dark on light, four times larger) and reports a file that is not an image', async () => {
    const i = 7;
    const bytes = png(i, 4, true);
    const expected = (await direct([mnistify(decodeImage(bytes, 'upload')).pixels]))[0];
    let before = await asked();
    await page.setInputFiles('#file', { name: 'digit.png', mimeType: 'image/png', buffer: bytes });
    await settled(before);
    expect(await page.textContent('#digit')).toBe(String(expected.indexOf(Math.max(...expected))));
    expect(await page.isHidden('#error')).toBe(true);
    // The 28×28 preview is what the server preprocessed, pixel for pixel.
    const seen = await page.evaluate<number[]>(`Array.from(document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, k) => k % 4 === 0))`);
    const pixels = mnistify(decodeImage(bytes, 'upload')).pixels;
    expect(Math.max(...seen.map((v, k) => Math.abs(v - pixels[k] * 255)))).toBeLessThanOrEqual(1);

    before = await asked();
    await page.setInputFiles('#file', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await settled(before);
    expect(await page.textContent('#error')).toMatch(/not a PNG or JPEG/);
    expect(await page.textContent('#digit')).toBe('–');
  });
});

describe('the API', () => {
  it('answers 1,000 requests, 16 at a time, each as a direct prediction does, and stays up', async () => {
    const count = 50;
    const pngs = Array.from({ length: count }, (_, i) => png(i, 2, i % 2 === 1));
    const jsons = Array.from({ length: count }, (_, i) => JSON.stringify({ pixels: Array.from(image(i)) }));
    const fromPng = await direct(pngs.map((b) => mnistify(decodeImage(b, 'png')).pixels));
    const fromJson = await direct(Array.from({ length: count }, (_, i) => image(i)));
    let next = 0;
    const wrong: string[] = [];
    const worker = async () => {
      while (next < 1000) {
        const k = next++;
        const i = k % count;
        const asPng = k % 2 === 0;
        const { status, json } = asPng ? await post(pngs[i], 'image/png') : await post(jsons[i], 'application/json');
        const want = asPng ? fromPng[i] : fromJson[i];
        const close = json.probabilities?.every((p, d) => Math.abs(p - want[d]) < 1e-4);
        if (status !== 200 || json.digit !== want.indexOf(Math.max(...want)) || !close) wrong.push(`request ${k}: ${status} ${JSON.stringify(json).slice(0, 120)}`);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = (performance.now() - start) / 1000;
    console.log(`load test: 1000 requests (PNG and JSON), 16 at a time, in ${seconds.toFixed(2)} s: ${(1000 / seconds).toFixed(0)} requests/s`);
    expect(wrong).toEqual([]);
    const info = (await get<ModelInfo>('api/model')).json;
    expect(info.served.images).toBeGreaterThanOrEqual(1000);
    expect(info.served.batches).toBeLessThanOrEqual(info.served.images);
    expect(server.exitCode).toBe(null);
  });

  it('describes the model: layers, parameter count and test accuracy', async () => {
    const info = (await get<ModelInfo>('api/model')).json;
    expect(info.preset).toBe('mlp');
    expect(info.layers.map((l) => l.kind)).toEqual(['Flatten', 'Dense', 'Dense']);
    expect(info.params.total).toBe(101_770);
    expect(info.test?.accuracy).toBeGreaterThan(0.85);
  });

  it('takes a 28×28 array too', async () => {
    const rows = Array.from({ length: 28 }, (_, y) => Array.from(image(3).subarray(y * 28, y * 28 + 28)));
    const { status, json } = await post(JSON.stringify(rows), 'application/json; charset=utf-8');
    expect(status).toBe(200);
    const want = (await direct([image(3)]))[0];
    expect(json.digit).toBe(want.indexOf(Math.max(...want)));
    expect(json.preprocessed).toHaveLength(784);
  });

  it('refuses bad requests with 413, 415, 400, 405 and 404 and a message, and stays up', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024);
    const cases: [string, () => Promise<{ status: number; json: { error?: string } }>, number, RegExp][] = [
      ['declared too large', () => post(big, 'image/png'), 413, /limit is 8388608/],
      ['chunked too large', () => chunked(big), 413, /exceeds the limit/],
      ['plain text', () => post('hello', 'text/plain'), 415, /unsupported content type "text\/plain"/],
      ['no content type', () => post(Buffer.from('x'), ''), 415, /unsupported content type/],
      ['text sent as PNG', () => post('hello', 'image/png'), 415, /not a PNG or JPEG/],
      ['truncated PNG', () => post(png(0).subarray(0, 60), 'image/png'), 400, /cannot decode/],
      ['blank PNG', () => post(PNG.sync.write(new PNG({ width: 8, height: 8 })), 'image/png'), 400, /blank/],
      ['bad JSON', () => post('{"pixels": [', 'application/json'), 400, /not valid JSON/],
      ['wrong length', () => post(JSON.stringify({ pixels: [1, 2, 3] }), 'application/json'), 400, /784 numbers/],
      ['out of range', () => post(JSON.stringify({ pixels: Array(784).fill(255) }), 'application/json'), 400, /\[0, 1\]/],
      ['GET predict', () => get('api/predict'), 405, /POST only/],
      ['unknown path', () => get('nope'), 404, /no such path/],
    ];
    for (const [name, send, status, message] of cases) {
      const r = await send();
      expect(r.status, name).toBe(status);
      expect(r.json.error, name).toMatch(message);
    }
    expect((await post(png(0), 'image/png')).status).toBe(200);
    expect(server.exitCode).toBe(null);
  });
});

/** A body sent in chunks without a Content-Length, so only counting can catch its size. */
function chunked(body: Buffer): Promise<{ status: number; json: { error?: string } }> {
  return new Promise((ok, fail) => {
    const req = request(`${url}api/predict`, { method: 'POST', headers: { 'content-type': 'image/png', 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => ok({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    // The server answers and closes before the whole body is written: that write error is expected.
    req.on('error', (e) => (e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(e));
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    req.end();
  });
}
