/**
 * A study's outputs: the CSV of every epoch of every run, one overlay chart per metric, and
 * report.md, whose table and conclusions are computed from the same results as the CSV.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from "../io/atomic.js";
import { renderChart } from "../plot/render.js";
import { studies } from "./studies.js";
export const CSV_COLUMNS = ['variant', 'seed', 'epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds', 'wall_seconds', 'weight_l2'];
const csvField = (v) => (v === undefined ? '' : typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
export function toCsv(results) {
    const rows = results.flatMap((r) => r.history.map((h) => [r.label, r.seed, h.epoch, h.loss, h.accuracy, h.val_loss, h.val_accuracy, h.lr, h.seconds, r.wallSeconds, r.weightL2].map(csvField).join(',')));
    return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
/** One chart per metric: every variant's train (solid) and validation (dashed) curve. */
async function overlay(variants, metric, base) {
    const values = variants.flatMap((v) => v.curves.flatMap((h) => [
        { epoch: h.epoch, variant: v.label, split: 'train', value: h[metric] },
        ...(h[`val_${metric}`] !== undefined ? [{ epoch: h.epoch, variant: v.label, split: 'validation', value: h[`val_${metric}`] }] : []),
    ]));
    const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${metric}: train (solid) and validation (dashed)`,
        width: 520,
        height: 300,
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
            x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
            y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
            color: { field: 'variant', type: 'nominal', sort: variants.map((v) => v.label) },
            strokeDash: { field: 'split', type: 'nominal', sort: ['train', 'validation'], legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300, encode: { symbols: { update: { stroke: { value: 'dimgray' } } } } } },
        },
    };
    return renderChart(spec, base, { svg: true });
}
/** The last epoch's loss at every step, one line per variant (the batch-size study's noise). */
async function stepLossChart(results, base) {
    const values = results
        .filter((r) => r.seed === 0 && r.stepLosses)
        .flatMap((r) => r.stepLosses.map((loss, i) => ({ progress: (i + 1) / r.stepLosses.length, variant: r.label, loss })));
    const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: 'training loss of each step in the last epoch',
        width: 520,
        height: 300,
        data: { values },
        mark: { type: 'line', strokeWidth: 1, opacity: 0.8 },
        encoding: {
            x: { field: 'progress', type: 'quantitative', title: 'fraction of the epoch', axis: { format: '%' } },
            y: { field: 'loss', type: 'quantitative', scale: { type: 'log' } },
            color: { field: 'variant', type: 'nominal', sort: [...new Set(values.map((v) => v.variant))] },
        },
    };
    return renderChart(spec, base, { svg: true });
}
const fmt = (s, digits, seeds) => (s === undefined ? '' : seeds > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits));
const pct = (x) => `${(x * 100).toFixed(2)}%`;
function columns(name, seeds) {
    const c = (title, key, digits) => ({ title, cell: (v) => fmt(v.stats[key], digits, seeds) });
    const cols = [c('best val accuracy', 'bestValAccuracy', 4), c('epoch of best', 'bestEpoch', seeds > 1 ? 1 : 0), c('final train−val gap', 'finalGap', 4), c('wall time (s)', 'wallSeconds', 1)];
    if (name === 'l2' || name === 'regularization')
        cols.push(c('weight L2 norm', 'weightL2', 3));
    if (name === 'batch-size')
        cols.push(c('per-step loss noise', 'lossNoise', 4));
    if (name === 'epochs')
        cols.push(c('epoch of lowest val loss', 'minValLossEpoch', seeds > 1 ? 1 : 0));
    if (name === 'early-stopping')
        cols.push(c('epochs run', 'epochsRun', seeds > 1 ? 1 : 0));
    return cols;
}
const m = (v, k) => v.stats[k]?.mean ?? Number.NaN;
function monotone(xs) {
    if (xs.length < 2)
        return null;
    if (xs.every((x, i) => i === 0 || x > xs[i - 1]))
        return 'rises';
    if (xs.every((x, i) => i === 0 || x < xs[i - 1]))
        return 'falls';
    return null;
}
/** Sentences computed from the numbers: rankings, trends and the study's own question. */
export function conclusions(name, variants, seeds) {
    const out = [];
    const byAcc = [...variants].sort((a, b) => m(b, 'bestValAccuracy') - m(a, 'bestValAccuracy'));
    const [top, second] = byAcc;
    const bottom = byAcc.at(-1);
    if (variants.length > 1) {
        out.push(`Highest best validation accuracy: **${top.label}** (${pct(m(top, 'bestValAccuracy'))} at epoch ${m(top, 'bestEpoch').toFixed(seeds > 1 ? 1 : 0)}); lowest: **${bottom.label}** (${pct(m(bottom, 'bestValAccuracy'))}), ${((m(top, 'bestValAccuracy') - m(bottom, 'bestValAccuracy')) * 100).toFixed(2)} points apart.`);
        if (seeds > 1) {
            const diff = m(top, 'bestValAccuracy') - m(second, 'bestValAccuracy');
            const noise = (top.stats.bestValAccuracy?.std ?? 0) + (second.stats.bestValAccuracy?.std ?? 0);
            out.push(`${top.label} leads ${second.label} by ${(diff * 100).toFixed(2)} points, ${diff > noise ? 'more' : 'less'} than the sum of their standard deviations over ${seeds} seeds (${(noise * 100).toFixed(2)} points)${diff > noise ? '' : ': the lead is within seed noise'}.`);
        }
        else {
            out.push('One seed per variant: differences of a few tenths of a point may be seed noise (use --seeds K to measure it).');
        }
        const byGap = [...variants].sort((a, b) => m(b, 'finalGap') - m(a, 'finalGap'));
        out.push(`Largest final train−val accuracy gap: ${byGap[0].label} (${m(byGap[0], 'finalGap').toFixed(4)}); smallest: ${byGap.at(-1).label} (${m(byGap.at(-1), 'finalGap').toFixed(4)}).`);
    }
    const trend = (what, key, param, digits) => {
        const xs = variants.map((v) => m(v, key));
        const t = monotone(xs);
        const series = variants.map((v, i) => `${xs[i].toFixed(digits)} (${v.label})`).join(', ');
        return `${what} ${t ? `${t} steadily` : 'does not move monotonically'} as ${param} grows: ${series}.`;
    };
    switch (name) {
        case 'dropout':
            out.push(trend('The final train−val gap', 'finalGap', 'the dropout rate', 4));
            break;
        case 'l2':
            out.push(trend('The weight L2 norm', 'weightL2', 'λ', 3));
            out.push(trend('The final train−val gap', 'finalGap', 'λ', 4));
            break;
        case 'regularization': {
            const none = variants.find((v) => v.label === 'none');
            if (none) {
                for (const v of variants.filter((x) => x !== none)) {
                    const dg = m(v, 'finalGap') - m(none, 'finalGap');
                    const da = m(v, 'bestValAccuracy') - m(none, 'bestValAccuracy');
                    out.push(`${v.label} vs none: final gap ${dg <= 0 ? 'smaller' : 'larger'} by ${Math.abs(dg).toFixed(4)}, best val accuracy ${da >= 0 ? 'higher' : 'lower'} by ${(Math.abs(da) * 100).toFixed(2)} points, weight norm ${m(v, 'weightL2').toFixed(2)} vs ${m(none, 'weightL2').toFixed(2)}.`);
                }
            }
            break;
        }
        case 'optimizer': {
            // The level every optimizer reached: whoever reaches it first converged faster.
            const target = Math.min(...variants.map((v) => Math.max(...v.curves.map((h) => h.val_accuracy ?? 0))));
            const reach = variants.map((v) => ({ v, epoch: v.curves.find((h) => (h.val_accuracy ?? 0) >= target)?.epoch ?? Infinity, first: v.curves[0]?.val_loss ?? Number.NaN }));
            reach.sort((a, b) => a.epoch - b.epoch || a.first - b.first);
            out.push(`Epochs to reach ${pct(target)} validation accuracy (the level every optimizer reached): ${reach.map((r) => `${r.v.label} ${r.epoch}`).join(', ')}; fastest: **${reach[0].v.label}**, slowest: **${reach.at(-1).v.label}**.`);
            out.push(`Validation loss after the first epoch: ${variants.map((v) => `${v.label} ${(v.curves[0]?.val_loss ?? Number.NaN).toFixed(4)}`).join(', ')}.`);
            break;
        }
        case 'batch-size': {
            out.push(trend('The per-step loss noise', 'lossNoise', 'the batch size', 4));
            const first = variants[0];
            const last = variants.at(-1);
            const b = (v) => Number(v.label.replace(/\D+/g, ''));
            out.push(`From ${first.label} to ${last.label} the noise shrinks ${(m(first, 'lossNoise') / m(last, 'lossNoise')).toFixed(2)}×; averaging independent examples alone would give √(${b(last)}/${b(first)}) = ${Math.sqrt(b(last) / b(first)).toFixed(2)}×.`);
            out.push(`Time per epoch (mean): ${variants.map((v) => `${v.label} ${mean(v.curves.map((h) => h.seconds)).toFixed(2)} s`).join(', ')}.`);
            break;
        }
        case 'activation': {
            const layers = Object.keys(variants[0].gradNorms ?? {});
            if (layers.length >= 2) {
                const ratio = (v) => v.gradNorms[layers[0]] / v.gradNorms[layers.at(-1)];
                const sorted = [...variants].sort((a, b) => ratio(b) - ratio(a));
                out.push(`At initialisation, the first layer's gradient norm relative to the last layer's: ${sorted.map((v) => `${v.label} ${ratio(v).toFixed(3)}`).join(', ')}: ${sorted.at(-1).label} passes the least gradient back to the first layer.`);
            }
            break;
        }
        case 'epochs': {
            const v = variants[0];
            const h = v.curves;
            const minAt = h.reduce((best, e) => ((e.val_loss ?? Infinity) < (best.val_loss ?? Infinity) ? e : best), h[0]);
            const last = h.at(-1);
            if (minAt.epoch < last.epoch && (last.val_loss ?? 0) > (minAt.val_loss ?? 0)) {
                out.push(`Validation loss is lowest at epoch ${minAt.epoch} (${minAt.val_loss.toFixed(4)}) and then turns up: ${last.val_loss.toFixed(4)} at epoch ${last.epoch} (+${(last.val_loss - minAt.val_loss).toFixed(4)}), while training loss keeps falling to ${last.loss.toFixed(4)}.`);
            }
            else {
                out.push(`Validation loss is still at its lowest at the last epoch (${last.epoch}, ${(last.val_loss ?? Number.NaN).toFixed(4)}): it has not turned up within ${last.epoch} epochs; train longer (--epochs) to see it.`);
            }
            break;
        }
        case 'early-stopping': {
            const full = variants.find((v) => v.label === 'no early stopping');
            for (const v of variants.filter((x) => x !== full)) {
                const r = v.runs[0];
                const where = r.stoppedEpoch ? `stopped after epoch ${r.stoppedEpoch} and restored epoch ${r.restoredEpoch}` : `never stopped (ran all ${r.epochsRun} epochs)`;
                const vs = full ? `; ${(full.runs[0].epochsRun - r.epochsRun)} epochs fewer than the full run, best val accuracy ${((r.bestValAccuracy - full.runs[0].bestValAccuracy) * 100).toFixed(2)} points from it` : '';
                out.push(`${v.label}: ${where}${vs}${seeds > 1 ? ' (seed 0)' : ''}.`);
            }
            break;
        }
    }
    return out;
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Writes results.csv, summary.json, the charts and report.md in `dir`; returns the report text. */
export async function writeStudy(dir, meta, results, variants) {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, 'results.csv'), toCsv(results));
    const charts = [
        ...(await overlay(variants, 'loss', join(dir, 'loss'))),
        ...(await overlay(variants, 'accuracy', join(dir, 'accuracy'))),
        ...(meta.name === 'batch-size' ? await stepLossChart(results, join(dir, 'step-loss')) : []),
    ];
    const summary = { ...meta, variants: variants.map(({ curves: _c, ...v }) => v) };
    writeFileAtomic(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    const cols = columns(meta.name, meta.seeds);
    const lines = [
        `# Study: ${studies[meta.name].title}`,
        '',
        `Backend: ${meta.backend}. ${meta.seeds > 1 ? `Each variant trained with ${meta.seeds} seeds: mean ± standard deviation.` : 'One seed per variant.'} Total wall time ${meta.wallSeconds.toFixed(1)} s.`,
        '',
        `Settings: ${Object.entries(meta.settings).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k} ${String(v)}`).join(', ')}.`,
        '',
        '| variant | ' + cols.map((c) => c.title).join(' | ') + ' |',
        '| --- | ' + cols.map(() => '---:').join(' | ') + ' |',
        ...variants.map((v) => `| ${v.label} | ${cols.map((c) => c.cell(v)).join(' | ')} |`),
        '',
    ];
    if (meta.name === 'activation' && variants[0].gradNorms) {
        const layers = Object.keys(variants[0].gradNorms);
        lines.push('Weight-gradient L2 norm per layer on the first batch, before any step:', '');
        lines.push(`| activation | ${layers.join(' | ')} |`, `| --- | ${layers.map(() => '---:').join(' | ')} |`);
        for (const v of variants)
            lines.push(`| ${v.label} | ${layers.map((l) => v.gradNorms[l].toFixed(4)).join(' | ')} |`);
        lines.push('');
    }
    lines.push('## Conclusions', '', ...conclusions(meta.name, variants, meta.seeds).map((c) => `- ${c}`), '');
    lines.push('## Curves', '', ...charts.filter((f) => f.endsWith('.png')).map((f) => `![${f.replace(/^.*\//, '').replace('.png', '')}](${f.replace(/^.*\//, '')})`), '');
    lines.push('Every epoch of every run is in `results.csv`; the numbers above are computed from the same results (`summary.json`).', '');
    const text = lines.join('\n');
    writeFileAtomic(join(dir, 'report.md'), text);
    return text;
}
