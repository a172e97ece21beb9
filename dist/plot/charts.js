import { dataUri, grayPng } from "../image/png.js";
import { renderChart } from "./render.js";
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** A line chart of `fields` over epochs, one colour per series, with the best epoch marked. */
function curves(history, title, series, o) {
    const values = history.flatMap((h) => series.filter(([f]) => typeof h[f] === 'number' && Number.isFinite(h[f])).map(([f, name]) => ({ epoch: h.epoch, series: name, value: h[f] })));
    const line = {
        mark: { type: 'line', point: true },
        encoding: {
            x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
            y: { field: 'value', type: 'quantitative', title, scale: o.log ? { type: 'log' } : { zero: false } },
            color: { field: 'series', type: 'nominal', title: null, sort: series.map(([, n]) => n) },
        },
    };
    const layers = [line];
    if (o.bestEpoch) {
        layers.push({
            data: { values: [{ epoch: o.bestEpoch, label: `best epoch ${o.bestEpoch}` }] },
            layer: [
                { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' } } },
                { mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'bottom', color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
            ],
        });
    }
    return { $schema: SCHEMA, title, width: 480, height: 280, data: { values }, layer: layers };
}
/** loss.png, accuracy.png and lr.png (with SVGs) in `dir`; returns the paths written. */
export async function learningCurves(history, dir, bestEpoch) {
    const o = { bestEpoch };
    const out = await Promise.all([
        renderChart(curves(history, 'loss', [['loss', 'train'], ['val_loss', 'validation']], o), `${dir}/loss`, { svg: true }),
        renderChart(curves(history, 'accuracy', [['accuracy', 'train'], ['val_accuracy', 'validation']], o), `${dir}/accuracy`, { svg: true }),
        renderChart(curves(history, 'learning rate', [['lr', 'learning rate']], { ...o, log: true }), `${dir}/lr`, { svg: true }),
    ]);
    return out.flat();
}
/** Counts with true labels down and predictions across, colour on a symmetric-log scale so that a few errors still show. */
export async function confusionHeatmap(matrix, base) {
    const values = matrix.flatMap((row, t) => row.map((count, p) => ({ true: t, predicted: p, count })));
    const max = Math.max(...values.map((v) => v.count));
    const spec = {
        $schema: SCHEMA,
        title: 'confusion matrix (test set)',
        width: 380,
        height: 380,
        data: { values },
        encoding: {
            x: { field: 'predicted', type: 'ordinal', axis: { labelAngle: 0, orient: 'top' } },
            y: { field: 'true', type: 'ordinal' },
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
    };
    return renderChart(spec, base, { svg: true });
}
/** Digits in a grid, each captioned (true/predicted labels, or the label). */
export async function imageGrid(tiles, title, base, columns = 6) {
    const size = 84;
    const values = tiles.map((t, i) => ({ i, caption: t.caption, url: dataUri(grayPng(t.pixels, 28, 28, 3)) }));
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
    };
    return renderChart(spec, base);
}
/** Examples per digit, one bar per split. */
export async function labelDistribution(counts, base) {
    const values = Object.entries(counts).flatMap(([split, c]) => c.map((count, digit) => ({ split, digit, count })));
    const spec = {
        $schema: SCHEMA,
        title: 'examples per digit',
        data: { values },
        width: 420,
        height: 240,
        mark: 'bar',
        encoding: {
            x: { field: 'digit', type: 'ordinal', axis: { labelAngle: 0 } },
            xOffset: { field: 'split' },
            y: { field: 'count', type: 'quantitative' },
            color: { field: 'split', type: 'nominal' },
        },
    };
    return renderChart(spec, base, { svg: true });
}
/** One panel per tensor, each with its own x range. */
export async function weightHistograms(hists, base) {
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
    };
    return renderChart(spec, base);
}
