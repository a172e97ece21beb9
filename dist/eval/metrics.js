/** Classification metrics from labels and predictions, computed on the host as scikit-learn does. */
export const DIGITS = 10;
/** matrix[true][predicted] */
export function confusionMatrix(labels, predicted, classes = DIGITS) {
    const m = Array.from({ length: classes }, () => new Array(classes).fill(0));
    for (let i = 0; i < labels.length; i++)
        m[labels[i]][predicted[i]]++;
    return m;
}
/** Index of the largest of each row of `probs` (rows of `classes`). */
export function argmaxRows(probs, classes = DIGITS) {
    const n = probs.length / classes;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < classes; c++)
            if (probs[i * classes + c] > probs[i * classes + best])
                best = c;
        out[i] = best;
    }
    return out;
}
/** scikit-learn's classification_report: an undefined ratio (nothing predicted, or no support) counts as 0. */
export function classificationReport(m) {
    const k = m.length;
    const div = (a, b) => (b === 0 ? 0 : a / b);
    const classes = [];
    let correct = 0;
    let total = 0;
    for (let c = 0; c < k; c++) {
        const tp = m[c][c];
        const support = m[c].reduce((s, v) => s + v, 0);
        const predicted = m.reduce((s, row) => s + row[c], 0);
        const precision = div(tp, predicted);
        const recall = div(tp, support);
        classes.push({ label: String(c), precision, recall, f1: div(2 * precision * recall, precision + recall), support });
        correct += tp;
        total += support;
    }
    const avg = (label, weight) => {
        const w = classes.reduce((s, r) => s + weight(r), 0);
        const mean = (f) => div(classes.reduce((s, r) => s + weight(r) * f(r), 0), w);
        return { label, precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1), support: total };
    };
    return { classes, accuracy: div(correct, total), macro: avg('macro avg', () => 1), weighted: avg('weighted avg', (r) => r.support), total };
}
/** The text scikit-learn prints, with its column widths and two decimals. */
export function formatClassificationReport(r, digits = 2) {
    const width = Math.max(...r.classes.map((c) => c.label.length), 'weighted avg'.length, digits);
    const num = (v) => v.toFixed(digits).padStart(9);
    const row = (c) => `${c.label.padStart(width)}  ${num(c.precision)} ${num(c.recall)} ${num(c.f1)} ${String(c.support).padStart(9)}`;
    return [
        `${''.padStart(width)}  ${'precision'.padStart(9)} ${'recall'.padStart(9)} ${'f1-score'.padStart(9)} ${'support'.padStart(9)}`,
        '',
        ...r.classes.map(row),
        '',
        `${'accuracy'.padStart(width)}  ${''.padStart(9)} ${''.padStart(9)} ${num(r.accuracy)} ${String(r.total).padStart(9)}`,
        row(r.macro),
        row(r.weighted),
    ].join('\n');
}
/** The largest off-diagonal cells, largest first (ties: smaller true label, then predicted). */
export function mostConfused(m, top = 5) {
    const pairs = [];
    m.forEach((row, t) => row.forEach((count, p) => t !== p && count > 0 && pairs.push({ true: t, predicted: p, count })));
    return pairs.sort((a, b) => b.count - a.count || a.true - b.true || a.predicted - b.predicted).slice(0, top);
}
/** The confusion matrix as aligned text, true labels down, predictions across. */
export function formatConfusionMatrix(m) {
    const w = Math.max(4, ...m.flat().map((v) => String(v).length + 1));
    const head = 'true\\pred'.padEnd(10) + m.map((_, p) => String(p).padStart(w)).join('');
    return [head, ...m.map((row, t) => String(t).padEnd(10) + row.map((v) => String(v).padStart(w)).join(''))].join('\n');
}
