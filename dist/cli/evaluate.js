/** `wgnn evaluate RUN_DIR`: test metrics, confusion matrix, classification report, worst mistakes. */
import { join } from 'node:path';
import { selectBackend } from "../backends/select.js";
import { limit, loadMnist, PIXELS } from "../data/mnist.js";
import { argmaxRows, classificationReport, confusionMatrix, formatClassificationReport, formatConfusionMatrix, mostConfused } from "../eval/metrics.js";
import { writeFileAtomic } from "../io/atomic.js";
import { EVALUATION_FILE, writeReport } from "../io/report.js";
import { loadModel } from "../io/run-dir.js";
import { confusionHeatmap, imageGrid } from "../plot/charts.js";
import { setBackend } from "../tensor/context.js";
import { predict } from "../train/predict.js";
export async function evaluateRun(dir, o) {
    const say = (line) => (o.json ? process.stderr : process.stdout).write(line + '\n');
    const { backend, reason } = await selectBackend(o.backend);
    setBackend(backend);
    try {
        say(`Backend: ${reason}`);
        const { model, config } = loadModel(dir);
        const dataDir = o.data ?? (config.training.settings?.data || undefined);
        const test = o.limit ? limit(loadMnist(dataDir).test, o.limit) : loadMnist(dataDir).test;
        const probs = await predict(model, test);
        model.dispose();
        const predicted = argmaxRows(probs);
        let loss = 0;
        // Cross-entropy from the probabilities, clipped as Keras clips them (1e-7).
        for (let i = 0; i < test.count; i++)
            loss -= Math.log(Math.max(1e-7, probs[i * 10 + test.labels[i]]));
        const confusion = confusionMatrix(test.labels, predicted);
        const report = classificationReport(confusion);
        const evaluation = {
            count: test.count,
            loss: loss / test.count,
            accuracy: report.accuracy,
            confusion,
            report: formatClassificationReport(report),
            confused: mostConfused(confusion, 8),
        };
        const wrong = [...Array(test.count).keys()].filter((i) => predicted[i] !== test.labels[i]);
        // Worst first: the lowest probability given to the true digit.
        wrong.sort((a, b) => probs[a * 10 + test.labels[a]] - probs[b * 10 + test.labels[b]]);
        const worst = wrong.slice(0, o.worst).map((i) => ({
            index: i,
            true: test.labels[i],
            predicted: predicted[i],
            confidence: probs[i * 10 + predicted[i]],
        }));
        writeFileAtomic(join(dir, EVALUATION_FILE), JSON.stringify({ ...evaluation, worst }, null, 2) + '\n');
        const written = await confusionHeatmap(confusion, join(dir, 'confusion-matrix'));
        if (worst.length) {
            const tiles = worst.map((w) => ({ pixels: test.images.subarray(w.index * PIXELS, (w.index + 1) * PIXELS), caption: `#${w.index}: ${w.true} → ${w.predicted} (${(w.confidence * 100).toFixed(0)}%)` }));
            written.push(...(await imageGrid(tiles, 'misclassified, least probable true digit first: true → predicted (probability given)', join(dir, 'misclassified'))));
        }
        writeReport(dir);
        written.push(join(dir, 'report.md'), join(dir, EVALUATION_FILE));
        if (o.json) {
            console.log(JSON.stringify({ ...evaluation, classes: report.classes, macro: report.macro, weighted: report.weighted, worst, files: written }));
        }
        else {
            say(`Test loss: ${evaluation.loss.toFixed(4)} - test accuracy: ${evaluation.accuracy.toFixed(4)} (${test.count} images)`);
            say('');
            say('Confusion matrix (rows: true digit, columns: predicted):');
            say(formatConfusionMatrix(confusion));
            say('');
            say(evaluation.report);
            say('');
            say(`Most confused pairs: ${evaluation.confused.map((c) => `${c.true}→${c.predicted} (${c.count})`).join(', ') || 'none'}`);
            say(`Wrote ${written.join(', ')}`);
        }
        return evaluation;
    }
    finally {
        backend.dispose();
    }
}
