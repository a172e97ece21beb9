/** Classification metrics from labels and predictions, computed on the host as scikit-learn does. */

/** matrix[true][predicted] */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

/** Index of the largest of each row of `probs` (rows of `classes`). */
export function argmaxRows(probs: ArrayLike<number>, classes: number): Uint8Array {
  const n = probs.length / classes;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

export interface ClassRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  classes: ClassRow[];
  accuracy: number;
  macro: ClassRow;
  weighted: ClassRow;
  total: number;
}

/** scikit-learn's classification_report: an undefined ratio (nothing predicted, or no support) counts as 0; rows are labelled by `names` (default: the indices). */
export function classificationReport(m: number[][], names?: readonly string[]): ClassificationReport {
  const k = m.length;
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const classes: ClassRow[] = [];
  let correct = 0;
  let total = 0;
  for (let c = 0; c < k; c++) {
    const tp = m[c][c];
    const support = m[c].reduce((s, v) => s + v, 0);
    const predicted = m.reduce((s, row) => s + row[c], 0);
    const precision = div(tp, predicted);
    const recall = div(tp, support);
    classes.push({ label: names?.[c] ?? String(c), precision, recall, f1: div(2 * precision * recall, precision + recall), support });
    correct += tp;
    total += support;
  }
  const avg = (label: string, weight: (r: ClassRow) => number): ClassRow => {
    const w = classes.reduce((s, r) => s + weight(r), 0);
    const mean = (f: (r: ClassRow) => number) => div(classes.reduce((s, r) => s + weight(r) * f(r), 0), w);
    return { label, precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1), support: total };
  };
  return { classes, accuracy: div(correct, total), macro: avg('macro avg', () => 1), weighted: avg('weighted avg', (r) => r.support), total };
}

/** The text scikit-learn prints, with its column widths and two decimals. */
export function formatClassificationReport(r: ClassificationReport, digits = 2): string {
  const width = Math.max(...r.classes.map((c) => c.label.length), 'weighted avg'.length, digits);
  const num = (v: number) => v.toFixed(digits).padStart(9);
  const row = (c: ClassRow) => `${c.label.padStart(width)}  ${num(c.precision)} ${num(c.recall)} ${num(c.f1)} ${String(c.support).padStart(9)}`;
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

export interface ConfusedPair {
  true: number;
  predicted: number;
  count: number;
}

/** The largest off-diagonal cells, largest first (ties: smaller true label, then predicted). */
export function mostConfused(m: number[][], top = 5): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  m.forEach((row, t) => row.forEach((count, p) => t !== p && count > 0 && pairs.push({ true: t, predicted: p, count })));
  return pairs.sort((a, b) => b.count - a.count || a.true - b.true || a.predicted - b.predicted).slice(0, top);
}

/**
 * The confusion matrix as aligned text, true labels down, predictions across. Columns are headed
 * by class index (names do not fit across); rows carry the index and, when given, the name.
 */
export function formatConfusionMatrix(m: number[][], names?: readonly string[]): string {
  const w = Math.max(4, ...m.flat().map((v) => String(v).length + 1), String(m.length - 1).length + 1);
  const rowName = (t: number) => (names ? `${t} ${names[t]}` : String(t));
  const first = Math.max('true\\pred'.length + 1, ...m.map((_, t) => rowName(t).length + 1));
  const head = 'true\\pred'.padEnd(first) + m.map((_, p) => String(p).padStart(w)).join('');
  return [head, ...m.map((row, t) => rowName(t).padEnd(first) + row.map((v) => String(v).padStart(w)).join(''))].join('\n');
}
