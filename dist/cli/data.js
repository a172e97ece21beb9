/** `wgnn data`: what is in the data set, and with --plot a sample grid and the label distribution. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist, PIXELS } from "../data/mnist.js";
import { imageGrid, labelDistribution } from "../plot/charts.js";
function counts(s) {
    const c = new Array(10).fill(0);
    for (const l of s.labels)
        c[l]++;
    return c;
}
function pixelStats(s) {
    let sum = 0, sq = 0;
    for (const v of s.images) {
        sum += v;
        sq += v * v;
    }
    const mean = sum / s.images.length;
    return { mean, std: Math.sqrt(sq / s.images.length - mean * mean) };
}
export async function dataCommand(o) {
    const mnist = loadMnist(o.data);
    const summary = Object.fromEntries(['train', 'test'].map((k) => [k, { count: mnist[k].count, perDigit: counts(mnist[k]), pixels: pixelStats(mnist[k]) }]));
    const files = [];
    if (o.plot) {
        mkdirSync(o.out, { recursive: true });
        // The first `perDigit` training images of each digit, one row per digit.
        const tiles = [];
        for (let d = 0; d < 10; d++) {
            let found = 0;
            for (let i = 0; i < mnist.train.count && found < o.perDigit; i++) {
                if (mnist.train.labels[i] !== d)
                    continue;
                tiles.push({ pixels: mnist.train.images.subarray(i * PIXELS, (i + 1) * PIXELS), caption: `${d} (#${i})` });
                found++;
            }
        }
        files.push(...(await imageGrid(tiles, 'training images', join(o.out, 'samples'), o.perDigit)));
        files.push(...(await labelDistribution({ train: summary.train.perDigit, test: summary.test.perDigit }, join(o.out, 'labels'))));
    }
    if (o.json) {
        console.log(JSON.stringify({ ...summary, files }));
        return;
    }
    for (const [k, s] of Object.entries(summary)) {
        console.log(`${k}: ${s.count} images of 28×28, pixel mean ${s.pixels.mean.toFixed(4)}, std ${s.pixels.std.toFixed(4)}`);
        console.log('  per digit: ' + s.perDigit.map((c, d) => `${d}: ${c}`).join('  '));
    }
    if (files.length)
        console.log(`Wrote ${files.join(', ')}`);
}
