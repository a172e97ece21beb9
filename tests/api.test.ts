/** The README's library example, through the package entry point only, on a slice of MNIST. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  ReferenceBackend, setBackend, preset, Optimizer, fit, evaluate, predict, loadMnist, splitValidation, limit, saveModel, loadModel,
  EarlyStopping, ReduceLROnPlateau, confusionMatrix, classificationReport, argmaxRows,
} from '../src/index.ts';

const backend = new ReferenceBackend();
setBackend(backend);
afterAll(() => backend.dispose());

it('trains with Keras-style callbacks, evaluates, and reloads to identical predictions', async () => {
  const mnist = loadMnist();
  const { train, val } = splitValidation(limit(mnist.train, 1200), 0.25);
  const test = limit(mnist.test, 500);
  const model = preset('mlp').build(3);
  const optimizer = new Optimizer('adam');
  const stopping = new EarlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true });
  const plateau = new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 0, minLr: 1e-4 });
  const history = await fit(model, optimizer, train, { epochs: 4, batchSize: 32, seed: 3, validation: val, callbacks: [stopping, plateau] });

  expect(history.length).toBeGreaterThanOrEqual(2);
  expect(stopping.bestEpoch).toBeGreaterThanOrEqual(1);
  expect(stopping.bestEpoch).toBeLessThanOrEqual(history.length);
  expect(history.every((h) => h.lr >= 1e-4 && h.lr <= 1e-3)).toBe(true);
  const { loss, accuracy } = await evaluate(model, test);
  expect(accuracy).toBeGreaterThan(0.75); // ten classes: chance is 0.1
  expect(loss).toBeLessThan(1);

  const dir = mkdtempSync(join(tmpdir(), 'wgnn-api-'));
  await saveModel(dir, model, { preset: 'mlp', training: {} }, history);
  const reloaded = loadModel(dir).model;
  const [before, after] = [await predict(model, test), await predict(reloaded, test)];
  expect(Array.from(after)).toEqual(Array.from(before));

  const matrix = confusionMatrix(test.labels, argmaxRows(before, model.outputSize), model.outputSize);
  expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(test.count);
  const report = classificationReport(matrix);
  expect(report.accuracy).toBeCloseTo(accuracy, 6);
  model.dispose();
  reloaded.dispose();
});
