/**
 * `--augment`: the same seed and step give the same images, others give others; a distortion keeps
 * the digit (its ink stays on the canvas and near the centre); training takes the hook and stays
 * repeatable.
 */
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { limit, loadMnist, PIXELS } from '../src/data/mnist.ts';
import { preset } from '../src/layers/presets.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { setBackend } from '../src/tensor/context.ts';
import { Augmenter, augmentOptions, defaultAugment } from '../src/train/augment.ts';
import { fit } from '../src/train/fit.ts';

const mnist = loadMnist();
const batch = (n: number) => mnist.train.images.slice(0, n * PIXELS);
const sumOf = (v: Float32Array) => v.reduce((s, x) => s + x, 0);

describe('Augmenter', () => {
  it('is deterministic for a seed and step, and differs across seeds, steps and images', () => {
    const a = batch(8);
    const b = batch(8);
    new Augmenter(28, 28, defaultAugment, 7).apply(a, 8, 3);
    new Augmenter(28, 28, defaultAugment, 7).apply(b, 8, 3);
    expect(a).toEqual(b);
    const otherStep = batch(8);
    new Augmenter(28, 28, defaultAugment, 7).apply(otherStep, 8, 4);
    const otherSeed = batch(8);
    new Augmenter(28, 28, defaultAugment, 8).apply(otherSeed, 8, 3);
    expect(otherStep).not.toEqual(a);
    expect(otherSeed).not.toEqual(a);
    expect(a).not.toEqual(batch(8));
  });

  it('keeps each digit on the canvas, near the centre, with about its ink', () => {
    for (const mode of ['affine', 'elastic'] as const) {
      const n = 64;
      const x = batch(n);
      new Augmenter(28, 28, augmentOptions(mode), 1).apply(x, n, 0);
      for (let i = 0; i < n; i++) {
        const before = mnist.train.images.subarray(i * PIXELS, (i + 1) * PIXELS);
        const after = x.subarray(i * PIXELS, (i + 1) * PIXELS);
        expect(after.every((v) => v >= 0 && v <= 1 + 1e-6)).toBe(true);
        // Scale ±12% changes the area by up to 25%; a stroke a pixel thicker or thinner by more.
        const ratio = sumOf(after) / sumOf(before);
        expect(ratio, `${mode} image ${i}`).toBeGreaterThan(0.3);
        expect(ratio, `${mode} image ${i}`).toBeLessThan(2.2);
        let m = 0, cx = 0, cy = 0;
        after.forEach((v, k) => {
          m += v;
          cx += v * (k % 28);
          cy += v * Math.floor(k / 28);
        });
        expect(Math.abs(cx / m - 14)).toBeLessThan(5);
        expect(Math.abs(cy / m - 14)).toBeLessThan(5);
      }
    }
  });

  it('plugs into fit: two runs with the same seed end with the same weights, and differ from no augmentation', async () => {
    const backend = new WasmBackend();
    setBackend(backend);
    const train = limit(mnist.train, 128);
    const run = async (augment: boolean) => {
      const model = preset('mlp').build(0);
      const opt = new Optimizer('adam');
      await fit(model, opt, train, { epochs: 1, batchSize: 32, seed: 0, augment: augment ? new Augmenter(28, 28, defaultAugment, 0) : undefined });
      const w = await model.parameters()[0].tensor.read();
      model.dispose();
      opt.dispose();
      return w;
    };
    const a = await run(true);
    const b = await run(true);
    const plain = await run(false);
    expect(a).toEqual(b);
    expect(a).not.toEqual(plain);
    backend.dispose();
  });
});
