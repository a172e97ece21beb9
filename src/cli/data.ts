/** `wgnn data`: what is in an image data set, and with --plot a sample grid and the label distribution. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageDatasetName } from '../data/datasets.ts';
import { loadImageDataset, pixelStats } from '../data/image-dataset.ts';
import type { Split } from '../data/mnist.ts';
import { imageGrid, labelDistribution } from '../plot/charts.ts';

function counts(s: Split, classes: number): number[] {
  const c = new Array<number>(classes).fill(0);
  for (const l of s.labels) c[l]++;
  return c;
}

export async function dataCommand(o: { data?: string; dataset?: ImageDatasetName; imageSize?: number; plot: boolean; out: string; json: boolean; perDigit: number }): Promise<void> {
  const name = o.dataset ?? 'mnist';
  const set = loadImageDataset(name, { data: o.data, ...(o.imageSize ? { shape: [3, o.imageSize, o.imageSize] } : {}) });
  const k = set.classes.length;
  const parts = { train: set.train, ...(set.val ? { val: set.val } : {}), test: set.test };
  const summary = Object.fromEntries(Object.entries(parts).map(([part, s]) => [part, { count: s.count, perDigit: counts(s, k), pixels: pixelStats(s.images) }]));
  const files: string[] = [];
  if (o.plot) {
    mkdirSync(o.out, { recursive: true });
    // The first `perDigit` training images of each class, one row per class.
    const per = set.shape.reduce((p, d) => p * d, 1);
    const tiles = [];
    for (let d = 0; d < k; d++) {
      let found = 0;
      for (let i = 0; i < set.train.count && found < o.perDigit; i++) {
        if (set.train.labels[i] !== d) continue;
        tiles.push({ pixels: set.train.images.subarray(i * per, (i + 1) * per), shape: set.shape, caption: `${set.classes[d]} (#${i})` });
        found++;
      }
    }
    files.push(...(await imageGrid(tiles, 'training images', join(o.out, 'samples'), o.perDigit)));
    files.push(...(await labelDistribution(Object.fromEntries(Object.entries(summary).map(([p, s]) => [p, s.perDigit])), join(o.out, 'labels'), set.classes)));
  }
  if (o.json) {
    console.log(JSON.stringify({ dataset: name, shape: set.shape, classes: set.classes, normalization: set.normalization, ...summary, files }));
    return;
  }
  console.log(`${name}: ${set.shape.join('×')} images (channels × height × width), ${k} classes, from ${set.source}`);
  for (const [part, s] of Object.entries(summary)) {
    console.log(`${part}: ${s.count} images, pixel mean ${s.pixels.mean.toFixed(4)}, std ${s.pixels.std.toFixed(4)}`);
    console.log('  per class: ' + s.perDigit.map((c, d) => `${set.classes[d]}: ${c}`).join('  '));
  }
  if (files.length) console.log(`Wrote ${files.join(', ')}`);
}
