/**
 * report.md: the run directory's figures and numbers in one page. Rebuilt from the files in the
 * directory by every command that adds to it (train, evaluate, inspect), so it never goes stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from "./atomic.js";
export const EVALUATION_FILE = 'evaluation.json';
export const INSPECTION_FILE = 'inspection.json';
function readJson(path) {
    if (!existsSync(path))
        return null;
    try {
        return JSON.parse(readFileSync(path, 'utf8'));
    }
    catch {
        return null;
    }
}
const f4 = (v) => (v === undefined ? '' : v.toFixed(4));
export function writeReport(dir) {
    const config = readJson(join(dir, 'config.json'));
    const history = readJson(join(dir, 'history.json')) ?? [];
    const evaluation = readJson(join(dir, EVALUATION_FILE));
    const inspection = readJson(join(dir, INSPECTION_FILE));
    const has = (file) => existsSync(join(dir, file));
    const lines = [`# wgnn run: ${config?.preset ?? 'model'}`, ''];
    if (config) {
        const s = (config.training.settings ?? {});
        const shown = Object.entries(s).filter(([, v]) => v !== null && v !== false);
        lines.push('## Settings', '', '| setting | value |', '| --- | --- |', ...shown.map(([k, v]) => `| ${k} | ${String(v)} |`), '');
        if (config.training.backend)
            lines.push(`Trained on the \`${String(config.training.backend)}\` backend.`, '');
    }
    if (history.length) {
        const last = history.at(-1);
        const o = config?.outcome;
        lines.push('## Training', '');
        lines.push(`${history.length} epochs; last epoch: loss ${f4(last.loss)}, accuracy ${f4(last.accuracy)}${last.val_loss !== undefined ? `, val_loss ${f4(last.val_loss)}, val_accuracy ${f4(last.val_accuracy)}` : ''}.`);
        if (o?.stoppedEpoch)
            lines.push(`Early stopping after epoch ${o.stoppedEpoch}: the best epoch by ${o.monitor} was ${o.bestEpoch}${o.restoredBest ? ', whose weights were restored and saved' : ''}.`);
        if (config?.test)
            lines.push(`Test set (at the end of training): loss ${f4(config.test.loss)}, accuracy ${f4(config.test.accuracy)}.`);
        lines.push('');
        for (const [file, alt] of [['loss.png', 'loss'], ['accuracy.png', 'accuracy'], ['lr.png', 'learning rate']])
            if (has(file))
                lines.push(`![${alt}](${file})`);
        lines.push('', '| epoch | loss | accuracy | val_loss | val_accuracy | lr | seconds |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
        for (const h of history)
            lines.push(`| ${h.epoch} | ${f4(h.loss)} | ${f4(h.accuracy)} | ${f4(h.val_loss)} | ${f4(h.val_accuracy)} | ${h.lr.toPrecision(3)} | ${h.seconds.toFixed(1)} |`);
        lines.push('');
    }
    if (evaluation) {
        lines.push('## Evaluation', '', `${evaluation.count} test images: loss ${f4(evaluation.loss)}, accuracy ${f4(evaluation.accuracy)} (${(evaluation.accuracy * 100).toFixed(2)}%).`, '');
        lines.push('```', evaluation.report, '```', '');
        if (has('confusion-matrix.png'))
            lines.push('![confusion matrix](confusion-matrix.png)', '');
        if (evaluation.confused.length) {
            lines.push('Most confused pairs:', '', '| true | predicted | count |', '| ---: | ---: | ---: |', ...evaluation.confused.map((c) => `| ${c.true} | ${c.predicted} | ${c.count} |`), '');
        }
        if (has('misclassified.png'))
            lines.push('The most confidently misclassified test images:', '', '![misclassified](misclassified.png)', '');
    }
    if (inspection) {
        lines.push('## Weights', '', `${inspection.total.toLocaleString('en-US')} parameters, ${inspection.trainable.toLocaleString('en-US')} trainable.`, '');
        lines.push('| tensor | shape | params | mean | std | min | max | L2 norm | near zero |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
        for (const l of inspection.layers) {
            lines.push(`| ${l.name} | ${l.shape.join('×')} | ${l.params} | ${l.mean.toFixed(4)} | ${l.std.toFixed(4)} | ${l.min.toFixed(4)} | ${l.max.toFixed(4)} | ${l.l2.toFixed(3)} | ${(l.nearZero * 100).toFixed(1)}% |`);
        }
        lines.push('');
        if (has('weights.png'))
            lines.push('![weight histograms](weights.png)', '');
    }
    const text = lines.join('\n');
    writeFileAtomic(join(dir, 'report.md'), text);
    return text;
}
