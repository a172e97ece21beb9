/** `wgnn evaluate RUN_DIR`: test metrics, confusion matrix, classification report, worst mistakes. */
import { join } from 'node:path';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { loadImageDataset } from '../data/image-dataset.ts';
import { datasetOf, type DatasetName } from '../data/datasets.ts';
import { argmaxRows, classificationReport, confusionMatrix, formatClassificationReport, formatConfusionMatrix, mostConfused } from '../eval/metrics.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { EVALUATION_FILE, writeReport, type Evaluation } from '../io/report.ts';
import { loadModel } from '../io/run-dir.ts';
import { confusionHeatmap, imageGrid } from '../plot/charts.ts';
import { setBackend } from '../tensor/context.ts';
import { predict } from '../train/predict.ts';
import { penaltyValue } from '../train/regularizer.ts';
import { bar, duration, ProgressLine, remaining } from './progress.ts';
import { resolveRunDir } from './runs.ts';
import { readsSpeech, spokenDigitSets } from './speech.ts';
import type { Examples } from '../train/dataset.ts';

/** The first `n` examples of any set (images or speech features), as views. */
function limitExamples<E extends Examples>(set: E, n: number): Examples {
  const count = Math.min(n, set.count);
  const per = set.images.length / Math.max(1, set.count);
  return { images: set.images.subarray(0, count * per), labels: set.labels.subarray(0, count), count };
}

export interface EvaluateOptions {
  backend: BackendName;
  data?: string;
  limit?: number;
  json: boolean;
  /** how many misclassified images the grid shows */
  worst: number;
}

export async function evaluateRun(dir: string, o: EvaluateOptions): Promise<Evaluation> {
  dir = resolveRunDir(dir);
  const say = (line: string) => (o.json ? process.stderr : process.stdout).write(line + '\n');
  const { backend, reason } = await selectBackend(o.backend);
  setBackend(backend);
  try {
    say(`Backend: ${reason}`);
    const { model, config } = loadModel(dir);
    const settings = (config.training.settings ?? {}) as { data?: string; dataset?: DatasetName; model?: string };
    const dataDir = o.data ?? (settings.data || undefined);
    const speech = readsSpeech(model);
    const dataset = speech ? 'spoken-digits' : datasetOf(settings.model ?? '', settings.dataset);
    const imageSet = dataset === 'spoken-digits' ? null : loadImageDataset(dataset, { data: dataDir, shape: [...model.inputShape] });
    if (imageSet && imageSet.shape.join() !== model.inputShape.join()) throw new Error(`${dir}: the model reads ${model.inputShape.join('×')} images, --dataset ${dataset} holds ${imageSet.shape.join('×')}`);
    const full = imageSet ? imageSet.test : spokenDigitSets(dataDir, 0).test;
    // The model's own class names; a run written before they were kept takes the data set's.
    const names = model.classNames ?? imageSet?.classes ?? model.labels();
    const classes = model.outputSize;
    if (names.length !== classes) throw new Error(`${dir}: the model has ${classes} outputs but ${names.length} class names`);
    const bad = full.labels.findIndex((l) => l >= classes);
    if (bad >= 0) throw new Error(`${dataDir ?? dataset}: test label ${full.labels[bad]} (example ${bad}) is not one of the model's ${classes} classes`);
    const test = o.limit ? limitExamples(full, o.limit) : full;
    const progress = new ProgressLine({ log: (t) => void (o.json ? process.stderr : process.stdout).write(t) });
    const started = performance.now();
    const probs = await predict(model, test, 256, (done, total) =>
      progress.show(`Evaluating ${bar(done, total)} ${done}/${total} images - ETA ${duration(remaining(done, total, (performance.now() - started) / 1000))}`),
    );
    progress.clear();
    // As train reports it and Keras's evaluate does: the L2 penalty is part of the loss.
    const penalty = await penaltyValue(model, Number((config.training.settings as { l2?: number } | undefined)?.l2 ?? 0));
    model.dispose();
    const predicted = argmaxRows(probs, classes);
    let loss = 0;
    // Cross-entropy from the probabilities, clipped as Keras clips them (1e-7).
    for (let i = 0; i < test.count; i++) loss -= Math.log(Math.max(1e-7, probs[i * classes + test.labels[i]]));
    const confusion = confusionMatrix(test.labels, predicted, classes);
    const report = classificationReport(confusion, names);
    const evaluation: Evaluation = {
      count: test.count,
      loss: loss / test.count + penalty,
      accuracy: report.accuracy,
      confusion,
      report: formatClassificationReport(report),
      confused: mostConfused(confusion, 8),
    };
    const wrong = [...Array(test.count).keys()].filter((i) => predicted[i] !== test.labels[i]);
    // Worst first: the lowest probability given to the true class.
    wrong.sort((a, b) => probs[a * classes + test.labels[a]] - probs[b * classes + test.labels[b]]);
    const worst = wrong.slice(0, o.worst).map((i) => ({
      index: i,
      true: test.labels[i],
      predicted: predicted[i],
      confidence: probs[i * classes + predicted[i]],
    }));
    writeFileAtomic(join(dir, EVALUATION_FILE), JSON.stringify({ ...evaluation, worst }, null, 2) + '\n');
    const written = await confusionHeatmap(confusion, join(dir, 'confusion-matrix'), model.classNames ?? imageSet?.classes);
    if (worst.length && !speech) {
      const per = model.inputShape.reduce((p, d) => p * d, 1);
      const tiles = worst.map((w) => ({ pixels: test.images.subarray(w.index * per, (w.index + 1) * per), shape: model.inputShape, caption: `#${w.index}: ${names[w.true]} → ${names[w.predicted]} (${(w.confidence * 100).toFixed(0)}%)` }));
      written.push(...(await imageGrid(tiles, 'misclassified, least probable true class first: true → predicted (probability given)', join(dir, 'misclassified'))));
    }
    writeReport(dir);
    written.push(join(dir, 'report.md'), join(dir, EVALUATION_FILE));
    if (o.json) {
      console.log(JSON.stringify({ ...evaluation, classes: report.classes, macro: report.macro, weighted: report.weighted, worst, files: written }));
    } else {
      say(`Test loss: ${evaluation.loss.toFixed(4)} - test accuracy: ${evaluation.accuracy.toFixed(4)} (${test.count} ${speech ? 'recordings of held-out voices' : 'images'})`);
      say('');
      say(`Confusion matrix (rows: true ${speech || dataset === 'mnist' ? 'digit' : 'class'}, columns: predicted):`);
      say(formatConfusionMatrix(confusion, model.classNames ?? imageSet?.classes));
      say('');
      say(evaluation.report);
      say('');
      say(`Most confused pairs: ${evaluation.confused.map((c) => `${names[c.true]}→${names[c.predicted]} (${c.count})`).join(', ') || 'none'}`);
      say(`Wrote ${written.join(', ')}`);
    }
    return evaluation;
  } finally {
    backend.dispose();
  }
}
