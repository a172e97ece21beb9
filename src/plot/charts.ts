/** The figures of a study run, as Vega-Lite specifications rendered by ./render.ts. */
import type { EpochLogs } from '../train/fit.ts';
import { dataUri, planesPng } from '../image/png.ts';
import { renderChart, type TopLevelSpec } from './render.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A line chart of `fields` over epochs, one colour per series, with the best epoch marked. */
function curves(history: EpochLogs[], title: string, series: [field: keyof EpochLogs, name: string][], o: { log?: boolean; bestEpoch?: number }): TopLevelSpec {
  const values = history.flatMap((h) =>
    series.filter(([f]) => typeof h[f] === 'number' && Number.isFinite(h[f] as number)).map(([f, name]) => ({ epoch: h.epoch, series: name, value: h[f] as number })),
  );
  const line = {
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
      y: { field: 'value', type: 'quantitative', title, scale: o.log ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map(([, n]) => n) },
    },
  };
  const layers: object[] = [line];
  if (o.bestEpoch) {
    layers.push({
      data: { values: [{ epoch: o.bestEpoch, label: `best epoch ${o.bestEpoch}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'bottom', color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
      ],
    });
  }
  return { $schema: SCHEMA, title, width: 480, height: 280, data: { values }, layer: layers } as TopLevelSpec;
}

/** One run's curves in an overlay; a stopped run gets a marker where it stopped. */
export interface Series {
  label: string;
  history: EpochLogs[];
  /** early stopping ended this run after that epoch */
  stoppedEpoch?: number;
}

/** Marker shapes and dash patterns, in turn: two runs never share both, so lines on top of each other still show. */
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left'];
const DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [3, 5]];

/**
 * Every series' train and validation curve of one metric: a colour, a marker shape and a dash
 * pattern per series (validation drawn thinner and lighter), and a labelled ✕ where early
 * stopping ended a run.
 */
export function overlaySpec(series: Series[], metric: 'loss' | 'accuracy', title?: string): TopLevelSpec {
  const labels = series.map((s) => s.label);
  const values = series.flatMap((s) =>
    s.history.flatMap((h) => {
      const val = h[`val_${metric}`];
      return [
        { epoch: h.epoch, run: s.label, split: 'train', value: h[metric] },
        ...(val !== undefined && Number.isFinite(val) ? [{ epoch: h.epoch, run: s.label, split: 'validation', value: val }] : []),
      ];
    }),
  );
  const stops = series.flatMap((s) => {
    const h = s.stoppedEpoch ? s.history.find((e) => e.epoch === s.stoppedEpoch) : undefined;
    const v = h ? h[`val_${metric}`] ?? h[metric] : undefined;
    return h && v !== undefined ? [{ epoch: h.epoch, run: s.label, value: v, text: `${s.label}: stopped` }] : [];
  });
  const color = { field: 'run', type: 'nominal', sort: labels, title: 'run' };
  const x = { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } };
  const y = { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } };
  const layers: object[] = [
    {
      mark: { type: 'line', strokeWidth: 1.8 },
      encoding: {
        x, y, color,
        detail: { field: 'split' },
        strokeDash: { field: 'run', type: 'nominal', sort: labels, scale: { range: DASHES }, title: 'run' },
        opacity: { field: 'split', type: 'ordinal', sort: ['train', 'validation'], scale: { range: [1, 0.5] }, title: 'curve' },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 45 },
      encoding: { x, y, color, shape: { field: 'run', type: 'nominal', sort: labels, scale: { range: SHAPES }, title: 'run' }, opacity: { field: 'split', type: 'ordinal', sort: ['train', 'validation'], title: 'curve' } },
    },
  ];
  if (stops.length) {
    layers.push({
      data: { values: stops },
      layer: [
        { mark: { type: 'point', shape: 'cross', size: 260, strokeWidth: 2.5, filled: false, angle: 45 }, encoding: { x, y, color } },
        { mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 10 }, encoding: { x, y, text: { field: 'text' }, color } },
      ],
    });
  }
  return {
    $schema: SCHEMA,
    title: title ?? `${metric}: train (opaque) and validation (faded)${stops.length ? '; ✕ where early stopping ended a run' : ''}`,
    width: 520,
    height: 300,
    data: { values },
    layer: layers,
  } as TopLevelSpec;
}

/** `<base>.png` and `.svg` of overlaySpec. */
export async function overlayCurves(series: Series[], metric: 'loss' | 'accuracy', base: string, title?: string): Promise<string[]> {
  return renderChart(overlaySpec(series, metric, title), base, { svg: true });
}

/** loss.png, accuracy.png and lr.png (with SVGs) in `dir`; returns the paths written. */
export async function learningCurves(history: EpochLogs[], dir: string, bestEpoch?: number): Promise<string[]> {
  const o = { bestEpoch };
  const out = await Promise.all([
    renderChart(curves(history, 'loss', [['loss', 'train'], ['val_loss', 'validation']], o), `${dir}/loss`, { svg: true }),
    renderChart(curves(history, 'accuracy', [['accuracy', 'train'], ['val_accuracy', 'validation']], o), `${dir}/accuracy`, { svg: true }),
    renderChart(curves(history, 'learning rate', [['lr', 'learning rate']], { ...o, log: true }), `${dir}/lr`, { svg: true }),
  ]);
  return out.flat();
}

/** Counts with true labels down and predictions across, colour on a symmetric-log scale so that a few errors still show. */
export async function confusionHeatmap(matrix: number[][], base: string, names?: readonly string[]): Promise<string[]> {
  const label = (i: number) => (names ? names[i] : String(i));
  const order = matrix.map((_, i) => label(i));
  const values = matrix.flatMap((row, t) => row.map((count, p) => ({ true: label(t), predicted: label(p), count })));
  const max = Math.max(...values.map((v) => v.count));
  const spec = {
    $schema: SCHEMA,
    title: 'confusion matrix (test set)',
    width: 380,
    height: 380,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, axis: { labelAngle: names ? -40 : 0, orient: 'top' } },
      y: { field: 'true', type: 'ordinal', sort: order },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { type: 'symlog', scheme: 'blues' } } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${Math.max(1, max / 8)}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec;
  return renderChart(spec, base, { svg: true });
}

export interface Tile {
  /** one image's values in [0, 1], channels as planes */
  pixels: ArrayLike<number>;
  /** [channels, height, width]: 1 (grey) or 3 (RGB) channels */
  shape: readonly number[];
  caption: string;
}

/** Digits in a grid, each captioned (true/predicted labels, or the label). */
export async function imageGrid(tiles: Tile[], title: string, base: string, columns = 6): Promise<string[]> {
  const size = 84;
  const values = tiles.map((t, i) => ({ i, caption: t.caption, url: dataUri(planesPng(t.pixels, t.shape, Math.max(1, Math.round(size / t.shape[1])))) }));
  const spec = {
    $schema: SCHEMA,
    title,
    data: { values },
    columns,
    facet: { field: 'i', type: 'ordinal', header: { title: null, labelExpr: "''", labelPadding: 0 } },
    spec: {
      width: size,
      height: size + 16,
      layer: [
        { mark: { type: 'image', width: size, height: size, align: 'left', baseline: 'top', smooth: false }, encoding: { url: { field: 'url' }, x: { value: 0 }, y: { value: 16 } } },
        { mark: { type: 'text', fontSize: 11, align: 'center', baseline: 'top' }, encoding: { text: { field: 'caption' }, x: { value: size / 2 }, y: { value: 0 } } },
      ],
    },
    spacing: 8,
    config: { view: { stroke: null } },
  } as TopLevelSpec;
  return renderChart(spec, base);
}

/** Examples per digit, one bar per split. */
export async function labelDistribution(counts: Record<string, number[]>, base: string, names?: readonly string[]): Promise<string[]> {
  const label = (i: number) => (names ? names[i] : String(i));
  const values = Object.entries(counts).flatMap(([split, c]) => c.map((count, i) => ({ split, digit: label(i), count })));
  const spec = {
    $schema: SCHEMA,
    title: names ? 'examples per class' : 'examples per digit',
    data: { values },
    width: 420,
    height: 240,
    mark: 'bar',
    encoding: {
      x: { field: 'digit', type: 'ordinal', title: names ? 'class' : 'digit', sort: Object.values(counts)[0]?.map((_, i) => label(i)), axis: { labelAngle: names ? -40 : 0 } },
      xOffset: { field: 'split' },
      y: { field: 'count', type: 'quantitative' },
      color: { field: 'split', type: 'nominal' },
    },
  } as TopLevelSpec;
  return renderChart(spec, base, { svg: true });
}

export interface Histogram {
  name: string;
  /** bin edges, one more than counts */
  edges: number[];
  counts: number[];
}

/** One panel per tensor, each with its own x range. */
export async function weightHistograms(hists: Histogram[], base: string): Promise<string[]> {
  const values = hists.flatMap((h, k) => h.counts.map((count, i) => ({ k, tensor: h.name, lo: h.edges[i], hi: h.edges[i + 1], count })));
  const spec = {
    $schema: SCHEMA,
    title: 'weight distributions',
    data: { values },
    columns: 3,
    facet: { field: 'tensor', type: 'nominal', sort: hists.map((h) => h.name), header: { title: null, labelFontSize: 11 } },
    spec: {
      width: 220,
      height: 120,
      mark: { type: 'rect', color: '#4c78a8' },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false } },
        x2: { field: 'hi' },
        y: { field: 'count', type: 'quantitative', title: null },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  } as TopLevelSpec;
  return renderChart(spec, base);
}
