/**
 * report.md: the run directory's figures and numbers in one page. Rebuilt from the files in the
 * directory by every command that adds to it (train, evaluate, inspect), so it never goes stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EpochLogs } from '../train/fit.ts';
import { writeFileAtomic } from './atomic.ts';
import type { RunConfig } from './run-dir.ts';

export const EVALUATION_FILE = 'evaluation.json';
export const INSPECTION_FILE = 'inspection.json';

export interface Evaluation {
  count: number;
  loss: number;
  accuracy: number;
  confusion: number[][];
  report: string;
  confused: { true: number; predicted: number; count: number }[];
}

export interface Inspection {
  layers: { name: string; shape: number[]; params: number; mean: number; std: number; min: number; max: number; l2: number; nearZero: number }[];
  total: number;
  trainable: number;
}

function readJson<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Settings of callbacks that were off, and the preset name when a model file was trained instead. */
function unusedSettings(s: Record<string, unknown>): Set<string> {
  const off = new Set<string>();
  if (!s.earlyStopping) for (const k of ['patience', 'minDelta', 'restoreBest']) off.add(k);
  if (!s.reduceLr) for (const k of ['reduceLrFactor', 'reduceLrPatience', 'minLr']) off.add(k);
  if (!s.earlyStopping && !s.reduceLr) off.add('monitor');
  if (s.lrSchedule === 'constant') off.add('lrSchedule');
  if (s.lrSchedule !== 'step') for (const k of ['lrDecay', 'lrDecayEpochs']) off.add(k);
  if (typeof s.config === 'string') off.add('model');
  if (typeof s.lrSchedule !== 'string' || !s.lrSchedule.startsWith('warmup')) off.add('warmup');
  if (s.optimizer !== 'adam' && s.optimizer !== 'adamw') for (const k of ['beta1', 'beta2', 'eps']) off.add(k);
  // Only the CNN presets have batch normalization to switch off.
  if (typeof s.config === 'string' || s.model === 'mlp' || s.model === 'mlp3') off.add('batchNorm');
  return off;
}

// JSON has no NaN: a non-finite value written by an older wgnn reads back as null.
const f4 = (v: number | null | undefined) => (v === undefined ? '' : typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : String(v ?? 'NaN'));

export function writeReport(dir: string): string {
  const config = readJson<RunConfig>(join(dir, 'config.json'));
  const history = readJson<EpochLogs[]>(join(dir, 'history.json')) ?? [];
  const evaluation = readJson<Evaluation>(join(dir, EVALUATION_FILE));
  const inspection = readJson<Inspection>(join(dir, INSPECTION_FILE));
  const has = (file: string) => existsSync(join(dir, file));
  const s = (config?.training.settings ?? {}) as Record<string, unknown>;
  // A run trained from a model file (wgnn tune's) is named by the file, not by the unused --model default.
  const name = typeof s.config === 'string' ? basename(s.config) : config?.preset ?? 'model';
  const lines: string[] = [`# wgnn run: ${name}`, ''];

  if (config) {
    const unused = unusedSettings(s);
    const shown = Object.entries(s).filter(([k, v]) => v !== null && v !== false && !unused.has(k));
    lines.push('## Settings', '', '| setting | value |', '| --- | --- |', ...shown.map(([k, v]) => `| ${k} | ${String(v)} |`), '');
    if (config.training.backend) lines.push(`Trained on the \`${String(config.training.backend)}\` backend.`, '');
  }

  if (history.length) {
    const last = history.at(-1)!;
    const o = config?.outcome as { bestEpoch?: number; stoppedEpoch?: number | null; restoredBest?: boolean; monitor?: string } | undefined;
    lines.push('## Training', '');
    lines.push(`${history.length} epochs; last epoch: loss ${f4(last.loss)}, accuracy ${f4(last.accuracy)}${last.val_loss !== undefined ? `, val_loss ${f4(last.val_loss)}, val_accuracy ${f4(last.val_accuracy)}` : ''}.`);
    if (o?.stoppedEpoch) lines.push(`Early stopping after epoch ${o.stoppedEpoch}: the best epoch by ${o.monitor} was ${o.bestEpoch}${o.restoredBest ? ', whose weights were restored and saved' : ''}.`);
    if (config?.test) lines.push(`Test set (at the end of training): loss ${f4(config.test.loss)}, accuracy ${f4(config.test.accuracy)}.`);
    lines.push('');
    for (const [file, alt] of [['loss.png', 'loss'], ['accuracy.png', 'accuracy'], ['lr.png', 'learning rate']]) if (has(file)) lines.push(`![${alt}](${file})`);
    lines.push('', '| epoch | loss | accuracy | val_loss | val_accuracy | lr | seconds |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const h of history) lines.push(`| ${h.epoch} | ${f4(h.loss)} | ${f4(h.accuracy)} | ${f4(h.val_loss)} | ${f4(h.val_accuracy)} | ${typeof h.lr === 'number' ? h.lr.toPrecision(3) : String(h.lr)} | ${typeof h.seconds === 'number' ? h.seconds.toFixed(1) : ''} |`);
    lines.push('');
  }

  if (evaluation) {
    lines.push('## Evaluation', '', `${evaluation.count} test images: loss ${f4(evaluation.loss)}, accuracy ${f4(evaluation.accuracy)} (${(evaluation.accuracy * 100).toFixed(2)}%).`, '');
    lines.push('```', evaluation.report, '```', '');
    if (has('confusion-matrix.png')) lines.push('![confusion matrix](confusion-matrix.png)', '');
    if (evaluation.confused.length) {
      lines.push('Most confused pairs:', '', '| true | predicted | count |', '| ---: | ---: | ---: |', ...evaluation.confused.map((c) => `| ${c.true} | ${c.predicted} | ${c.count} |`), '');
    }
    if (has('misclassified.png')) lines.push('The most confidently misclassified test images:', '', '![misclassified](misclassified.png)', '');
  }

  if (inspection) {
    lines.push('## Weights', '', `${inspection.total.toLocaleString('en-US')} parameters, ${inspection.trainable.toLocaleString('en-US')} trainable.`, '');
    lines.push('| tensor | shape | params | mean | std | min | max | L2 norm | near zero |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of inspection.layers) {
      lines.push(`| ${l.name} | ${l.shape.join('×')} | ${l.params} | ${l.mean.toFixed(4)} | ${l.std.toFixed(4)} | ${l.min.toFixed(4)} | ${l.max.toFixed(4)} | ${l.l2.toFixed(3)} | ${(l.nearZero * 100).toFixed(1)}% |`);
    }
    lines.push('');
    if (has('weights.png')) lines.push('![weight histograms](weights.png)', '');
  }
  const text = lines.join('\n');
  writeFileAtomic(join(dir, 'report.md'), text);
  return text;
}
