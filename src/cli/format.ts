/** Keras-like text: epoch lines and the model summary table. */
import type { Sequential } from '../layers/sequential.ts';
import type { EpochLogs } from '../train/fit.ts';

const n = (x: number) => x.toLocaleString('en-US');

export function epochLine(logs: EpochLogs, steps: number): string {
  const parts = [
    `${steps}/${steps}`,
    `${Math.round(logs.seconds)}s ${Math.round(logs.msPerStep)}ms/step`,
    `loss: ${logs.loss.toFixed(4)}`,
    `accuracy: ${logs.accuracy.toFixed(4)}`,
  ];
  if (logs.val_loss !== undefined) parts.push(`val_loss: ${logs.val_loss.toFixed(4)}`, `val_accuracy: ${logs.val_accuracy!.toFixed(4)}`);
  parts.push(`lr: ${logs.lr.toPrecision(3)}`);
  return parts.join(' - ');
}

function bytes(count: number): string {
  const b = count * 4;
  return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(2)} MB` : `${(b / 1024).toFixed(2)} KB`;
}

/** The layer table with Keras's totals, trainable and non-trainable split out. */
export function summaryTable(model: Sequential, title: string): string {
  const rows = model.summaryRows().map((r) => [
    `${r.depth ? '  └ ' : ''}${r.name} (${r.kind})`,
    `(None, ${r.outputShape.join(', ')})`,
    r.depth ? `(${n(r.params)})` : n(r.params),
  ]);
  const head = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (cells: string[]) => '│' + cells.map((c, i) => ' ' + (i === 2 ? c.padStart(widths[i] - 2) : c.padEnd(widths[i] - 2)) + ' ').join('│') + '│';
  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const counts = model.countParams();
  return [
    `Model: "${title}"`,
    `Input: ${model.inputShape.join('×')}${model.inputShape.length === 3 ? ' (channels × height × width)' : ' (steps × features)'}${model.classNames ? `; ${model.classNames.length} classes: ${model.classNames.join(', ')}` : ''}`,
    rule('┌', '┬', '┐'),
    line(head),
    rule('├', '┼', '┤'),
    ...rows.map(line),
    rule('└', '┴', '┘'),
    ` Total params: ${n(counts.total)} (${bytes(counts.total)})`,
    ` Trainable params: ${n(counts.trainable)} (${bytes(counts.trainable)})`,
    ` Non-trainable params: ${n(counts.nonTrainable)} (${bytes(counts.nonTrainable)})`,
    `(shapes are channels-first: (batch, channels, height, width); inner rows of a block are included in its count)`,
  ].join('\n');
}
