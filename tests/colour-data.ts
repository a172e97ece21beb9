/**
 * Small learnable stand-ins for colour data sets, written in each format the loaders read: one
 * shape (square, disc, triangle or cross, anywhere, of any size) per picture on a noisy dark
 * background, its class the shape's colour. A CNN tells them apart in an epoch or two; chance is
 * one in the class count.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { Rng } from '../src/kernels/random.ts';

/** Ten colours far apart, red to purple, as RGB in [0, 255]. */
export const COLOURS: ReadonlyArray<readonly [number, number, number]> = [
  [230, 40, 40], [240, 140, 20], [230, 230, 30], [120, 220, 40], [30, 170, 60],
  [40, 220, 220], [40, 110, 240], [40, 40, 200], [170, 60, 230], [240, 110, 200],
];
export const COLOUR_NAMES = ['red', 'orange', 'yellow', 'lime', 'green', 'cyan', 'azure', 'blue', 'violet', 'pink'];

/** One h×w picture of class `label` as RGB planes (3·h·w bytes, the CIFAR layout). */
export function shapePlanes(label: number, h: number, w: number, rng: Rng): Uint8Array {
  const out = new Uint8Array(3 * h * w);
  const [r, g, b] = COLOURS[label];
  const size = Math.max(3, Math.floor((0.3 + 0.35 * rng.next()) * Math.min(h, w)));
  const x0 = Math.floor(rng.next() * (w - size));
  const y0 = Math.floor(rng.next() * (h - size));
  const kind = Math.floor(rng.next() * 4);
  const c = (size - 1) / 2;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = x - x0 - c;
      const v = y - y0 - c;
      const inside = Math.abs(u) <= c && Math.abs(v) <= c && (
        kind === 0 ? true
          : kind === 1 ? u * u + v * v <= c * c
            : kind === 2 ? Math.abs(u) <= (v + c) / 2
              : Math.abs(u) <= c / 3 || Math.abs(v) <= c / 3);
      const noise = () => Math.floor(rng.next() * 50);
      const px = y * w + x;
      out[px] = inside ? r : noise();
      out[h * w + px] = inside ? g : noise();
      out[2 * h * w + px] = inside ? b : noise();
    }
  return out;
}

/** `count` records of CIFAR-10's binary layout (a label byte, then the planes), labels cycling. */
export function cifarBatch(count: number, seed: number, classes = COLOURS.length): Uint8Array {
  const rng = new Rng(seed);
  const record = 1 + 3 * 32 * 32;
  const out = new Uint8Array(count * record);
  for (let i = 0; i < count; i++) {
    const label = (i * 7 + seed) % classes;
    out[i * record] = label;
    out.set(shapePlanes(label, 32, 32, rng), i * record + 1);
  }
  return out;
}

/** A directory in CIFAR-10's binary layout: `batches` training batch files of `perBatch` records, a test batch and the names. */
export function writeCifarDir(dir: string, o: { batches: number; perBatch: number; test: number; seed?: number }): void {
  mkdirSync(dir, { recursive: true });
  for (let b = 0; b < o.batches; b++) writeFileSync(join(dir, `data_batch_${b + 1}.bin`), cifarBatch(o.perBatch, (o.seed ?? 0) + b + 1));
  writeFileSync(join(dir, 'test_batch.bin'), cifarBatch(o.test, (o.seed ?? 0) + 100));
  writeFileSync(join(dir, 'batches.meta.txt'), COLOUR_NAMES.join('\n') + '\n\n');
}

/** An RGB PNG of h×w from planes. */
export function planesToPng(planes: Uint8Array, h: number, w: number): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < h * w; i++) {
    png.data[4 * i] = planes[i];
    png.data[4 * i + 1] = planes[h * w + i];
    png.data[4 * i + 2] = planes[2 * h * w + i];
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** A folder set: one sub-folder per class (its colour's name) of `perClass` PNGs of h×w (any size: the loader resizes). */
export function writeImageFolder(dir: string, o: { classes: number; perClass: number; h: number; w: number; seed?: number }): void {
  const rng = new Rng(o.seed ?? 0);
  for (let c = 0; c < o.classes; c++) {
    mkdirSync(join(dir, COLOUR_NAMES[c]), { recursive: true });
    for (let i = 0; i < o.perClass; i++) writeFileSync(join(dir, COLOUR_NAMES[c], `${String(i).padStart(4, '0')}.png`), planesToPng(shapePlanes(c, o.h, o.w, rng), o.h, o.w));
  }
}

/** An IDX file of unsigned bytes with `dims`. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Grey h×w pictures (the red plane of the colour shapes, whose brightness and shape differ by class) in MNIST's four IDX files. */
export function writeIdxDir(dir: string, o: { train: number; test: number; h: number; w: number; classes: number; seed?: number }): void {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(o.seed ?? 0);
  const part = (count: number, images: string, labels: string) => {
    const px = new Uint8Array(count * o.h * o.w);
    const lb = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      lb[i] = i % o.classes;
      const planes = shapePlanes(lb[i], o.h, o.w, rng);
      // Luma of the colour: the classes differ in brightness.
      for (let p = 0; p < o.h * o.w; p++) px[i * o.h * o.w + p] = Math.round(0.299 * planes[p] + 0.587 * planes[o.h * o.w + p] + 0.114 * planes[2 * o.h * o.w + p]);
    }
    writeFileSync(join(dir, images), idxBytes([count, o.h, o.w], px));
    writeFileSync(join(dir, labels), idxBytes([count], lb));
  };
  part(o.train, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte');
  part(o.test, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte');
}
