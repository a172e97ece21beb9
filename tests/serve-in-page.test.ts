/**
 * The serve page runs the model itself: Debian's Chromium (through playwright-core) loads the
 * shipped model into the page, once with WebGPU (`--enable-unsafe-webgpu`: SwiftShader's adapter,
 * so wgnn's WGSL kernels) and once without (wgnn's WASM kernels), reads own-digit fixtures and a
 * drawing, and must agree with the server's answer for the same input — digit, probabilities and
 * the 28×28 image — without ever calling POST /api/predict. Where the engine cannot load, the page
 * falls back to the server and says so.
 * Without /usr/bin/chromium these tests skip locally; in CI (CI=true) they fail.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/backends/select.ts';
import { defaultModelDir } from '../src/io/default-model.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { startServer, type RunningServer } from '../src/serve/server.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { setBackend } from '../src/tensor/context.ts';
import { CHROMIUM, chromiumAvailable } from './helpers.ts';

const haveChromium = chromiumAvailable();

const FIXTURES = 'tests/fixtures/own-digits';
/** PNG and JPEG, dark on light and light on dark, fonts, pens, colour, noise, off-centre. */
const FILES = ['font-0-0.png', 'pen-2-1.jpg', 'colour-3-1.jpg', 'light-on-dark-4-2.jpg', 'noisy-5-2.jpg', 'off-centre-6-0.png', 'slant-7-1.png', 'weight-9-2.png'];

interface Answer {
  digit: number;
  probabilities: number[];
  preprocessed: number[];
}

/** The little of the page's globals the tests read (this file is compiled without the DOM's types). */
interface InPage {
  document: {
    body: { dataset: Record<string, string> };
    getElementById(id: string): { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }; toDataURL(type: string): string };
  };
}

let tmp: string;
let backend: Backend;
let server: RunningServer;

async function serverAnswer(body: Uint8Array, type: string): Promise<Answer> {
  const res = await fetch(`${server.url}api/predict`, { method: 'POST', headers: { 'content-type': type }, body });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-in-page-'));
  ({ backend } = await selectBackend('wasm'));
  setBackend(backend);
  const { model, config } = loadModel(defaultModelDir());
  server = await startServer({ model, config, backend: backend.description, port: 0 });
});

afterAll(async () => {
  await server?.close();
  backend?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh Chromium; `webgpu` turns on its (software) WebGPU adapter. */
async function open(webgpu: boolean): Promise<{ browser: BrowserContext; page: Page; asked: string[] }> {
  const gpuFlags = webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu'];
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 640 },
    args: ['--headless', '--no-sandbox', ...gpuFlags, '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const asked: string[] = [];
  page.on('request', (r) => asked.push(`${r.method()} ${new URL(r.url()).pathname}`));
  return { browser, page, asked };
}

/** Waits until the page has asked something after the `before`-th request and shows the last answer. */
async function settled(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (b) => {
      const { requested, shown } = (globalThis as unknown as InPage).document.body.dataset;
      return Number(requested) > b && shown === requested;
    },
    before,
    { timeout: 60_000 },
  );
}

const asked = async (page: Page) => Number(await page.getAttribute('body', 'data-requested'));

/** What the page shows: the digit, the ten percentages and the 28×28 image's grey levels. */
async function shown(page: Page): Promise<{ digit: string; percents: number[]; seen: number[]; error: boolean }> {
  const percents = (await page.locator('#bars .value').allTextContents()).map((t) => Number.parseFloat(t));
  const seen = await page.evaluate(() =>
    Array.from((globalThis as unknown as InPage).document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, k) => k % 4 === 0)),
  );
  return { digit: (await page.textContent('#digit')) ?? '', percents, seen, error: await page.isVisible('#error') };
}

/** The page's answer must be the server's: the same digit, each percentage within rounding, the same image. */
function expectAgreement(got: Awaited<ReturnType<typeof shown>>, want: Answer, what: string): void {
  expect(got.error, what).toBe(false);
  expect(got.digit, what).toBe(String(want.digit));
  expect(got.percents.length, what).toBe(want.probabilities.length);
  got.percents.forEach((p, d) => expect(Math.abs(p - want.probabilities[d] * 100), `${what}: class ${d}`).toBeLessThanOrEqual(0.11));
  const worst = Math.max(...got.seen.map((g, i) => Math.abs(g - Math.round(want.preprocessed[i] * 255))));
  expect(worst, `${what}: the 28×28 image`).toBeLessThanOrEqual(1);
}

async function checkInPage(webgpu: boolean): Promise<void> {
  const { browser, page, asked: requests } = await open(webgpu);
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as InPage).document.body.dataset.inference, null, { timeout: 60_000 });
    const where = await page.getAttribute('body', 'data-inference');
    const said = (await page.textContent('#where')) ?? '';
    if (webgpu) {
      expect(where, said).toBe('webgpu');
      expect(said).toMatch(/^Runs in this page, on WebGPU \(wgnn’s WGSL kernels\) · webgpu: .*swiftshader/i);
    } else {
      expect(where, said).toBe('wasm');
      expect(said).toMatch(/^Runs in this page, on WebAssembly \(wgnn’s WASM kernels\) · wasm: .*kernels on 1 thread · not WebGPU: /);
    }

    for (const file of FILES) {
      const bytes = readFileSync(join(FIXTURES, file));
      const type = file.endsWith('.png') ? 'image/png' : 'image/jpeg';
      const before = await asked(page);
      await page.setInputFiles('#file', { name: file, mimeType: type, buffer: bytes });
      await settled(page, before);
      const want = await serverAnswer(bytes, type);
      expectAgreement(await shown(page), want, `${where}: ${file}`);
      // The fixtures' names give their digit; the shipped model reads all of these right.
      expect(want.digit, file).toBe(Number(file.split('-').at(-2)));
    }

    // A drawing: a 7, stroke by stroke; the server reads the pad's PNG.
    await page.click('#clear');
    const box = (await page.locator('#pad').boundingBox())!;
    const before = await asked(page);
    const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
    await page.mouse.move(...at(0.3, 0.25));
    await page.mouse.down();
    await page.mouse.move(...at(0.7, 0.25), { steps: 5 });
    await page.mouse.move(...at(0.45, 0.8), { steps: 8 });
    await page.mouse.up();
    await settled(page, before);
    const png = await page.evaluate(() => (globalThis as unknown as InPage).document.getElementById('pad').toDataURL('image/png'));
    const want = await serverAnswer(Buffer.from(png.split(',')[1], 'base64'), 'image/png');
    expectAgreement(await shown(page), want, `${where}: a drawn 7`);

    // A file that is not an image gets the server's message, from the page.
    const bad = await asked(page);
    await page.setInputFiles('#file', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await settled(page, bad);
    expect(await page.textContent('#error')).toBe('notes.png: not a PNG or JPEG file (unrecognised signature)');
    // One claiming 20000×20000 pixels is refused from its header, as the server refuses it.
    const huge = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(huge);
    huge.write('IHDR', 12, 'latin1');
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    const big = await asked(page);
    await page.setInputFiles('#file', { name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await settled(page, big);
    expect(await page.textContent('#error')).toBe('huge.png: the image is 20000×20000 pixels; at most 16,777,216 pixels are decoded (scale it down)');
    // A blank page: the message mnistify gives the server.
    const paper = new PNG({ width: 64, height: 64 });
    paper.data.fill(238);
    const blankPng = PNG.sync.write(paper);
    const blank = await asked(page);
    await page.setInputFiles('#file', { name: 'blank.png', mimeType: 'image/png', buffer: blankPng });
    await settled(page, blank);
    expect(await page.textContent('#error')).toMatch(/^the image is blank/);

    expect(requests).toContain('GET /engine.js');
    expect(requests).toContain('GET /api/model/weights');
    if (!webgpu) expect(requests.some((r) => /^GET \/wasm\/wgnn(-relaxed)?\.wasm$/.test(r))).toBe(true);
    expect(requests.filter((r) => r.includes('/api/predict')), 'no inference on the server').toEqual([]);
  } finally {
    await browser.close();
  }
}

describe.skipIf(!haveChromium)('inference in the page', () => {
  it('runs the model on WebGPU (WGSL kernels) and agrees with the server', () => checkInPage(true), 240_000);

  it('runs the model on WebAssembly without WebGPU and agrees with the server', () => checkInPage(false), 240_000);

  it('falls back to the server API when the page cannot load the engine, and says so', async () => {
    const { browser, page, asked: requests } = await open(false);
    try {
      await page.route('**/engine.js', (route) => route.abort());
      await page.goto(server.url);
      await page.waitForFunction(() => (globalThis as unknown as InPage).document.body.dataset.inference, null, { timeout: 60_000 });
      expect(await page.getAttribute('body', 'data-inference')).toBe('server');
      expect(await page.textContent('#where')).toMatch(/^Runs on the server · wasm: .* · the page could not run the model/);
      const file = FILES[2];
      const bytes = readFileSync(join(FIXTURES, file));
      await page.setInputFiles('#file', { name: file, mimeType: 'image/jpeg', buffer: bytes });
      await settled(page, 0);
      expectAgreement(await shown(page), await serverAnswer(bytes, 'image/jpeg'), `server: ${file}`);
      expect(requests).toContain('POST /api/predict');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
