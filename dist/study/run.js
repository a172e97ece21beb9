/**
 * One training job of a study or a tuning trial, run on the current backend. Jobs are plain JSON
 * so that a worker process can run them as well as this one.
 */
import { limit, loadMnist, splitValidation } from "../data/mnist.js";
import { crossEntropy } from "../kernels/softmax.js";
import { Optimizer } from "../optim/optimizer.js";
import { backward } from "../tensor/autograd.js";
import { keep, scope } from "../tensor/context.js";
import { EarlyStopping } from "../train/callbacks.js";
import { makeBatch } from "../train/dataset.js";
import { fit } from "../train/fit.js";
import { buildModel } from "./models.js";
let cached = null;
function mnistFor(dir) {
    const key = dir ?? '';
    if (cached?.key !== key)
        cached = { key, mnist: loadMnist(dir) };
    return cached.mnist;
}
function l2Norm(values) {
    let s = 0;
    for (let i = 0; i < values.length; i++)
        s += values[i] * values[i];
    return Math.sqrt(s);
}
/** Weight-gradient norms of every regularized parameter on one batch, without taking a step. */
async function initialGradNorms(model, train, batchSize) {
    const weights = model.trainable().filter((p) => p.regularized);
    scope(() => {
        const b = makeBatch(train, null, 0, Math.min(batchSize, train.count), model.inputShape);
        backward(crossEntropy(model.forward(b.x, { training: true, step: 0 }), b.y));
        for (const p of weights)
            if (p.tensor.grad)
                keep(p.tensor.grad);
    });
    const out = {};
    for (const p of model.trainable()) {
        const g = p.tensor.grad;
        if (g && p.regularized)
            out[p.fullName.replace(/\.weight$/, '')] = l2Norm(await g.read());
        g?.dispose();
        p.tensor.grad = null;
    }
    return out;
}
export async function runJob(job) {
    const mnist = mnistFor(job.data);
    const all = job.limit ? limit(mnist.train, job.limit) : mnist.train;
    const { train, val } = splitValidation(all, job.validationSplit);
    const started = performance.now();
    const model = buildModel(job.model).build(job.seed);
    const optimizer = new Optimizer(job.optimizer, { lr: job.lr });
    try {
        const result = { label: job.label, seed: job.seed, history: [], wallSeconds: 0, weightL2: 0 };
        if (job.gradNorms)
            result.gradNorms = await initialGradNorms(model, train, job.batchSize);
        const callbacks = [];
        const early = job.patience !== undefined ? new EarlyStopping({ monitor: 'val_loss', patience: job.patience, restoreBestWeights: true }) : null;
        if (early)
            callbacks.push(early);
        // The running mean after each step gives back each step's loss: sum_s − sum_{s−1}.
        let stepLosses = [];
        let prev = { step: 0, sum: 0 };
        const steps = Math.ceil(train.count / job.batchSize);
        if (job.stepLoss)
            callbacks.push({ onEpochBegin: () => void ((stepLosses = []), (prev = { step: 0, sum: 0 })) });
        result.history = await fit(model, optimizer, train, {
            epochs: job.epochs,
            batchSize: job.batchSize,
            seed: job.seed,
            validation: val,
            l2: job.l2,
            callbacks,
            progressSeconds: 0,
            onProgress: job.stepLoss
                ? (p) => {
                    const seen = Math.min(train.count, p.step * job.batchSize);
                    const sum = p.loss * seen;
                    stepLosses.push((sum - prev.sum) / (seen - Math.min(train.count, prev.step * job.batchSize)));
                    prev = { step: p.step, sum };
                    if (p.step === steps)
                        result.stepLosses = stepLosses;
                }
                : undefined,
        });
        result.wallSeconds = (performance.now() - started) / 1000;
        let sq = 0;
        for (const p of model.trainable())
            if (p.regularized)
                sq += l2Norm(await p.tensor.read()) ** 2;
        result.weightL2 = Math.sqrt(sq);
        if (early) {
            result.stoppedEpoch = early.stoppedEpoch;
            result.bestEpoch = early.bestEpoch;
        }
        return result;
    }
    finally {
        model.dispose();
        optimizer.dispose();
    }
}
