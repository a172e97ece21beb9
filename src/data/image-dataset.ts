/**
 * The data sets a run trains on. Each image set knows its input shape [channels, height, width],
 * its class names and its normalisation (the mean and standard deviation of its training pixels,
 * measured when it loads, except MNIST's published figures), so that the commands and the presets
 * never assume MNIST's 28×28 grey digits.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MNIST_MEAN, MNIST_STD } from '../layers/presets.ts';
import type { ImageDatasetName } from './datasets.ts';
import { loadCifar10, CIFAR_SHAPE } from './cifar10.ts';
import { loadImageFolder } from './folder.ts';
import { DataError, readIdx } from './idx.ts';
import { CLASSES as MNIST_CLASSES, IDX_FILES, IMAGE_SIZE, loadIdxSplit, loadMnist, type Split } from './mnist.ts';

/** Fashion-MNIST's labels 0–9, as its authors name them. */
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** A folder set's pictures are resized to this side unless the model or --image-size says otherwise. */
export const DEFAULT_FOLDER_SIDE = 32;

export interface Normalization {
  mean: number;
  std: number;
}

export interface ImageDataset {
  name: ImageDatasetName;
  /** [channels, height, width] of one image */
  shape: number[];
  classes: string[];
  normalization: Normalization;
  train: Split;
  /** a validation set of its own (a folder's val/); otherwise --validation-split takes one from train */
  val?: Split;
  test: Split;
  /** where it came from, for the run's first lines */
  source: string;
}

export interface DatasetRequest {
  /** the data directory (--data); MNIST alone has an embedded copy */
  data?: string;
  /** [channels, height, width] the model wants, for sets that resize (folder) */
  shape?: number[];
}

/** Mean and standard deviation of every pixel of a split, in [0, 1]. */
export function pixelStats(images: Float32Array): Normalization {
  let sum = 0, sq = 0;
  for (let i = 0; i < images.length; i++) {
    sum += images[i];
    sq += images[i] * images[i];
  }
  const n = Math.max(1, images.length);
  const mean = sum / n;
  // A blank set has no spread; 1 keeps a Standardize layer finite.
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  return { mean, std: std > 1e-6 ? std : 1 };
}

/** Names the directory --data must be and the files to put there; nothing is ever downloaded. */
function needData(name: ImageDatasetName, what: string): never {
  throw new Error(`--dataset ${name} needs --data DIR: ${what}; wgnn downloads nothing`);
}

function idxSet(name: 'fashion-mnist' | 'idx', dir: string): ImageDataset {
  const files = `${IDX_FILES.train.images}, ${IDX_FILES.train.labels}, ${IDX_FILES.test.images} and ${IDX_FILES.test.labels} (each plain or .gz)`;
  if (!existsSync(dir)) throw new DataError(dir, `directory not found: put ${files} there`);
  try {
    if (name === 'fashion-mnist') {
      const expect = { side: [IMAGE_SIZE, IMAGE_SIZE], classes: FASHION_CLASSES.length } as const;
      const train = loadIdxSplit(dir, IDX_FILES.train, expect);
      return { name, shape: [1, IMAGE_SIZE, IMAGE_SIZE], classes: FASHION_CLASSES, normalization: pixelStats(train.images), train, test: loadIdxSplit(dir, IDX_FILES.test, expect), source: dir };
    }
    // Any IDX set in MNIST's layout: the images' own size, as many classes as the largest label says.
    const labels = (part: { labels: string }) => readIdx(locateIdx(dir, part.labels), 1).data;
    const classes = Math.max(...labels(IDX_FILES.train), ...labels(IDX_FILES.test)) + 1;
    const train = loadIdxSplit(dir, IDX_FILES.train, { classes });
    const test = loadIdxSplit(dir, IDX_FILES.test, { classes });
    const side = (p: string) => readIdx(locateIdx(dir, p), 3).dims.slice(1);
    const [trainSide, testSide] = [side(IDX_FILES.train.images), side(IDX_FILES.test.images)];
    if (trainSide.join() !== testSide.join()) throw new DataError(join(dir, IDX_FILES.test.images), `images are ${testSide.join('×')}, the training images ${trainSide.join('×')}: they must match`);
    return { name, shape: [1, trainSide[0], trainSide[1]], classes: Array.from({ length: classes }, (_, i) => String(i)), normalization: pixelStats(train.images), train, test, source: dir };
  } catch (e) {
    if (e instanceof DataError && /file not found/.test(e.message)) throw new DataError(e.file, `file not found: --dataset ${name} reads ${files} from --data ${dir}`);
    throw e;
  }
}

function locateIdx(dir: string, name: string): string {
  const plain = join(dir, name);
  return existsSync(plain) ? plain : `${plain}.gz`;
}

/** Throws the message loadImageDataset would for a set that needs --data and has none, before anything is written. */
export function requireData(name: ImageDatasetName, data: string | undefined): void {
  if (name !== 'mnist' && data === undefined) loadImageDataset(name);
}

/** Loads an image data set by name, checked as it loads; a missing directory or file says what to put where. */
export function loadImageDataset(name: ImageDatasetName, o: DatasetRequest = {}): ImageDataset {
  switch (name) {
    case 'mnist': {
      const m = loadMnist(o.data);
      return { name, shape: [1, IMAGE_SIZE, IMAGE_SIZE], classes: Array.from({ length: MNIST_CLASSES }, (_, i) => String(i)), normalization: { mean: MNIST_MEAN, std: MNIST_STD }, ...m, source: o.data ?? 'embedded MNIST' };
    }
    case 'fashion-mnist':
      return idxSet(name, o.data ?? needData(name, `a directory of Fashion-MNIST's four IDX files, ${IDX_FILES.train.images} … ${IDX_FILES.test.labels} (plain or .gz, as the Fashion-MNIST repository publishes them)`));
    case 'idx':
      return idxSet(name, o.data ?? needData(name, `a directory of four IDX files named as MNIST's (${IDX_FILES.train.images}, ${IDX_FILES.train.labels}, ${IDX_FILES.test.images}, ${IDX_FILES.test.labels}; plain or .gz)`));
    case 'cifar10': {
      const dir = o.data ?? needData(name, 'a directory of CIFAR-10\'s binary version: data_batch_1.bin … data_batch_5.bin, test_batch.bin and batches.meta.txt');
      if (!existsSync(dir)) throw new DataError(dir, 'directory not found: put CIFAR-10\'s binary version there (data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt)');
      const c = loadCifar10(dir);
      return { name, shape: [...CIFAR_SHAPE], classes: c.classes, normalization: pixelStats(c.train.images), train: c.train, test: c.test, source: dir };
    }
    case 'folder': {
      const dir = o.data ?? needData(name, 'a directory with one sub-folder of PNG or JPEG pictures per class (or train/ and test/, and optionally val/, that each hold them)');
      const shape = o.shape ?? [3, DEFAULT_FOLDER_SIDE, DEFAULT_FOLDER_SIDE];
      const f = loadImageFolder(dir, shape);
      return { name, shape: [...shape], classes: f.classes, normalization: pixelStats(f.train.images), train: f.train, ...(f.val ? { val: f.val } : {}), test: f.test, source: dir };
    }
  }
}
