/**
 * Issue 16's "done when": CIFAR-10's binary layout trains and evaluates with cifar-cnn and learns
 * a generated stand-in (coloured shapes, class = colour) well above chance; Fashion-MNIST's class
 * names reach the report, the confusion matrix and the page; a folder of PNGs trains, evaluates,
 * predicts and serves. The data is generated here (tests/colour-data.ts), small enough for the
 * WASM backend in a minute or two.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../src/backends/select.ts';
import { evaluateRun } from '../src/cli/evaluate.ts';
import { summaryTable } from '../src/cli/format.ts';
import { predictFiles } from '../src/cli/predict.ts';
import { train } from '../src/cli/train.ts';
import { FASHION_CLASSES } from '../src/data/image-dataset.ts';
import { loadImageFolder } from '../src/data/folder.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { preset } from '../src/layers/presets.ts';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { startServer } from '../src/serve/server.ts';
import { setBackend } from '../src/tensor/context.ts';
import { COLOUR_NAMES, planesToPng, shapePlanes, writeCifarDir, writeIdxDir, writeImageFolder } from './colour-data.ts';
import { chromiumAvailable, quietScratchDir, trainOptions, withChromiumPage } from './helpers.ts';
import { Rng } from '../src/kernels/random.ts';

const haveChromium = chromiumAvailable();

const scratch = quietScratchDir('wgnn-colour-');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** The page's globals, as predicates run in it see them (functions: the page's CSP refuses evaluated strings). */
type InPage = { document: { body: { dataset: Record<string, string | undefined> }; querySelectorAll(selector: string): { length: number } } };


describe('CIFAR-10 binary layout', () => {
  it('summary shows cifar-cnn and cifar-resnet reading 3×32×32', () => {
    setBackend(new ReferenceBackend());
    for (const name of ['cifar-cnn', 'cifar-resnet']) {
      const table = summaryTable(preset(name).build(0), name);
      expect(table).toContain('Input: 3×32×32 (channels × height × width)');
      expect(table).toMatch(/conv2d \(Conv2D\)\s+│ \(None, 32, 32, 32\)/);
      expect(table).toMatch(/dense(_1)? \(Dense\)\s+│ \(None, 10\)\s+│/);
    }
  });

  it('trains cifar-cnn with crop-flip on the stand-in set well above chance, and evaluates it with its class names', async () => {
    const data = join(scratch(), 'cifar');
    writeCifarDir(data, { batches: 2, perBatch: 400, test: 200 });
    const out = join(scratch(), 'cifar-run');
    await train(trainOptions({ model: 'cifar-cnn', backend: 'wasm', dataset: 'cifar10', data, epochs: 2, batchSize: 32, augment: 'crop-flip', out }));
    const config = readJson(join(out, 'config.json'));
    expect(config.model.inputShape).toEqual([3, 32, 32]);
    expect(config.model.classNames).toEqual(COLOUR_NAMES);
    // Chance is 10%.
    expect(config.test.accuracy).toBeGreaterThan(0.3);
    const evaluation = await evaluateRun(out, { backend: 'wasm', json: false, worst: 4 });
    expect(evaluation.count).toBe(200);
    expect(evaluation.accuracy).toBeCloseTo(config.test.accuracy, 5);
    expect(evaluation.report).toMatch(/^\s+violet\s+\d\.\d\d/m);
    expect(existsSync(join(out, 'misclassified.png'))).toBe(true);
  }, 600_000);
});

describe('Fashion-MNIST', () => {
  it('trains with its class names in the report, the confusion matrix, the API and the page', async () => {
    const data = join(scratch(), 'fashion');
    writeIdxDir(data, { train: 600, test: 100, h: 28, w: 28, classes: 10 });
    const out = join(scratch(), 'fashion-run');
    await train(trainOptions({ model: 'mlp', backend: 'wasm', dataset: 'fashion-mnist', data, epochs: 1, out }));
    expect(readJson(join(out, 'config.json')).model.classNames).toEqual(FASHION_CLASSES);
    const evaluation = await evaluateRun(out, { backend: 'wasm', json: false, worst: 4 });
    expect(evaluation.report).toMatch(/^\s+Ankle boot\s+\d\.\d\d/m);
    const svg = readFileSync(join(out, 'confusion-matrix.svg'), 'utf8');
    expect(svg).toContain('T-shirt/top');
    expect(svg).toContain('Ankle boot');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('Ankle boot');

    const { backend } = await selectBackend('wasm');
    setBackend(backend);
    const { model, config } = loadModel(out);
    const server = await startServer({ model, config, backend: backend.description, port: 0 });
    try {
      const info = (await (await fetch(`${server.url}api/model`)).json()) as { classes: string[]; inputShape: number[]; digits: boolean };
      expect(info.classes).toEqual(FASHION_CLASSES);
      expect(info.inputShape).toEqual([1, 28, 28]);
      // Clothes are not digits: pictures are resized whole, not cropped and centred as MNIST's digits.
      expect(info.digits).toBe(false);
      const planes = shapePlanes(3, 28, 28, new Rng(4));
      const answer = (await (await fetch(`${server.url}api/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: planesToPng(planes, 28, 28) })).json()) as { label: string; probabilities: number[] };
      expect(FASHION_CLASSES).toContain(answer.label);
      expect(answer.probabilities).toHaveLength(10);
      if (haveChromium) {
        await withChromiumPage(server.url, async (page) => {
          await page.waitForFunction(() => (globalThis as unknown as InPage).document.querySelectorAll('#bars li').length === 10);
          expect(await page.locator('#bars li > span:first-child').allTextContents()).toEqual(FASHION_CLASSES);
        });
      }
    } finally {
      await server.close();
      model.dispose();
      backend.dispose();
    }
  }, 300_000);
});

describe('a folder of PNGs', () => {
  it('orders its training pictures the same wherever the folder lies', () => {
    // The order (and so the validation split and the run) comes from the paths inside the folder.
    const [a, b] = [join(scratch(), 'here', 'pictures'), join(scratch(), 'somewhere', 'else', 'pictures')];
    for (const dir of [a, b]) writeImageFolder(dir, { classes: 3, perClass: 12, h: 9, w: 7 });
    const [fa, fb] = [a, b].map((dir) => loadImageFolder(dir, [3, 9, 7]));
    expect(Array.from(fa.train.labels)).toEqual(Array.from(fb.train.labels));
    expect(Array.from(fa.train.pixels)).toEqual(Array.from(fb.train.pixels));
    // not the name order: a split from the end holds every class
    expect(new Set(fa.train.labels.subarray(-6)).size).toBeGreaterThan(1);
  });

  it('trains, evaluates, predicts and serves, resized to --image-size', async () => {
    const data = join(scratch(), 'pictures');
    writeImageFolder(data, { classes: 4, perClass: 60, h: 24, w: 20 });
    const out = join(scratch(), 'folder-run');
    await train(trainOptions({ model: 'mlp', backend: 'wasm', dataset: 'folder', data, imageSize: 16, epochs: 3, batchSize: 16, out }));
    const config = readJson(join(out, 'config.json'));
    expect(config.model.inputShape).toEqual([3, 16, 16]);
    expect(config.model.classNames).toEqual(['lime', 'orange', 'red', 'yellow']);
    expect(config.test.accuracy).toBeGreaterThan(0.5);
    const evaluation = await evaluateRun(out, { backend: 'wasm', json: false, worst: 0 });
    expect(evaluation.count).toBe(48);
    expect(evaluation.report).toMatch(/^\s+orange\s+\d\.\d\d/m);

    const picture = join(data, 'red', '0004.png');
    const [result] = await predictFiles(out, [picture], { backend: 'wasm', json: true, savePreprocessed: join(scratch(), 'seen') });
    expect('label' in result && result.probabilities.length).toBe(4);
    expect(existsSync(join(scratch(), 'seen', '0004.png.16x16.png'))).toBe(true);

    const { backend } = await selectBackend('wasm');
    setBackend(backend);
    const { model, config: runConfig } = loadModel(out);
    const server = await startServer({ model, config: runConfig, backend: backend.description, port: 0 });
    try {
      const answer = (await (await fetch(`${server.url}api/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: readFileSync(picture) })).json()) as { label: string; preprocessed: number[] };
      expect(['lime', 'orange', 'red', 'yellow']).toContain(answer.label);
      expect(answer.preprocessed).toHaveLength(3 * 16 * 16);
      // The same picture through predict and serve gives the same class.
      expect(answer.label).toBe('label' in result ? result.label : '');
      if (haveChromium) {
        // The page runs the model itself (WASM or WebGPU) and prepares the upload as the server does.
        await withChromiumPage(server.url, async (page) => {
          await page.waitForFunction(() => {
            const d = (globalThis as unknown as InPage).document;
            return d.body.dataset.inference !== undefined && d.querySelectorAll('#bars li').length === 4;
          }, undefined, { timeout: 60_000 });
          expect(['wasm', 'webgpu']).toContain(await page.getAttribute('body', 'data-inference'));
          const before = Number(await page.getAttribute('body', 'data-requested'));
          await page.setInputFiles('#file', { name: 'red.png', mimeType: 'image/png', buffer: readFileSync(picture) });
          await page.waitForFunction((b) => {
            const { requested, shown } = (globalThis as unknown as InPage).document.body.dataset;
            return Number(requested) > b && shown === requested;
          }, before, { timeout: 60_000 });
          expect(await page.textContent('#digit')).toBe(answer.label);
          expect(await page.isHidden('#error')).toBe(true);
        });
      }
    } finally {
      await server.close();
      model.dispose();
      backend.dispose();
    }
  }, 300_000);
});
