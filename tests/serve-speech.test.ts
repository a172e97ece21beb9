/**
 * `wgnn serve` with a speech model: /api/predict takes WAV recordings and answers as a direct
 * prediction on the front end's features does, refuses images and broken WAV files, and the
 * page's record button (static/record.js) records Chromium's fake microphone — fed a WAV file
 * of a spoken-digit-like sound — and shows the predicted digit. The model is the lstm preset at
 * its initial weights: the test is about the path from microphone to answer, not about accuracy.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../src/backends/select.ts';
import { wavFeatures } from '../src/audio/features.ts';
import { encodeWav } from '../src/audio/wav.ts';
import { saveModel } from '../src/io/run-dir.ts';
import { preset } from '../src/layers/presets.ts';
import type { Sequential } from '../src/layers/sequential.ts';
import { setBackend } from '../src/tensor/context.ts';
import { predict } from '../src/train/predict.ts';
import { CHROMIUM, chromiumAvailable, spawnServe } from './helpers.ts';

const haveChromium = chromiumAvailable();

/** A vowel-like sound between silences: a 140 Hz buzz through two formants gliding apart, at 16 kHz. */
function utterance(rate = 16000): Uint8Array {
  const x = new Float32Array(Math.round(rate * 1.2));
  let phase = 0;
  for (let i = Math.round(rate * 0.3); i < Math.round(rate * 0.9); i++) {
    const t = i / rate - 0.3;
    phase += (2 * Math.PI * (140 - 30 * t)) / rate;
    const f1 = 500 + 400 * t, f2 = 1500 + 800 * t;
    x[i] = 0.4 * Math.sin(phase) * (0.6 * Math.sin((2 * Math.PI * f1 * i) / rate) + 0.4 * Math.sin((2 * Math.PI * f2 * i) / rate)) * Math.sin((Math.PI * t) / 0.6);
  }
  return encodeWav(x, rate, 16);
}

let tmp: string;
let wavFile: string;
let server: ChildProcess | undefined;
let url: string;
let model: Sequential;
let browser: BrowserContext | undefined;


interface Answer { digit: number; probabilities: number[]; error?: string }

async function post(body: Uint8Array | string, type: string): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`${url}api/predict`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: (await res.json()) as Answer };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-serve-speech-'));
  const { backend } = await selectBackend('wasm');
  setBackend(backend);
  model = preset('lstm').build(3);
  const dir = join(tmp, 'run');
  await saveModel(dir, model, { preset: 'lstm', training: {} }, []);
  wavFile = join(tmp, 'utterance.wav');
  writeFileSync(wavFile, utterance());
  ({ child: server, url } = await spawnServe(dir, 'wasm', 30));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

describe('the API with a speech model', () => {
  it('says it reads speech', async () => {
    const info = (await (await fetch(`${url}api/model`)).json()) as { input: string; inputShape: number[]; preset: string };
    expect(info).toMatchObject({ input: 'speech', inputShape: [32, 13], preset: 'lstm' });
  });

  it('answers a WAV recording as a direct prediction on its features does', async () => {
    const wav = utterance();
    const { status, json } = await post(wav, 'audio/wav');
    expect(status).toBe(200);
    const features = wavFeatures(wav, 'utterance.wav');
    const direct = Array.from(await predict(model, { images: features, labels: new Uint8Array(1), count: 1 }));
    json.probabilities.forEach((p, d) => expect(p).toBeCloseTo(direct[d], 5));
    expect(json.digit).toBe(direct.indexOf(Math.max(...direct)));
  });

  it('refuses images (415) and broken WAV files (400) with a message', async () => {
    const image = await post(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    expect(image.status).toBe(415);
    expect(image.json.error).toMatch(/this model reads speech; send a WAV recording/);
    const truncated = await post(utterance().subarray(0, 30), 'audio/wav');
    expect(truncated.status).toBe(400);
    expect(truncated.json.error).toMatch(/^the request body: /);
    expect((await post(utterance(), 'audio/wav')).status).toBe(200); // still up
  });
});

describe.skipIf(!haveChromium)('the record button in Chromium', () => {
  it('records the microphone and shows the predicted digit', async () => {
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
        // A microphone that plays this file, allowed without asking.
        '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wavFile}`, '--autoplay-policy=no-user-gesture-required',
      ],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('#record', { state: 'visible', timeout: 10_000 });
    // The drawing pad and its output are hidden: a speech model cannot read them.
    expect(await page.isVisible('#pad')).toBe(false);
    expect(await page.isVisible('#result')).toBe(false);
    await page.click('#record');
    await page.waitForSelector('#speech[data-shown="1"]', { timeout: 20_000 });
    expect(await page.isVisible('#speech-error')).toBe(false);
    expect(await page.textContent('#heard')).toMatch(/^[0-9]$/);
    expect(await page.textContent('#heard-confidence')).toMatch(/% sure$/);
    const percents = (await page.$$eval('#heard-bars .value', (els) => els.map((e) => e.textContent ?? ''))).map((t) => parseFloat(t));
    expect(percents).toHaveLength(10);
    expect(percents.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    const digit = Number(await page.textContent('#heard'));
    expect(Math.max(...percents)).toBe(percents[digit]);
    expect(pageErrors).toEqual([]);
  });
});
