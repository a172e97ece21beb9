/**
 * The training loop: Keras's fit() on our kernels. A step never reads from the device: loss and
 * accuracy are summed there and read at most a few times a second for the progress display.
 */
import { add, addInto } from "../kernels/elementwise.js";
import { countCorrectInto } from "../kernels/metrics.js";
import { l2Penalty } from "../kernels/penalty.js";
import { crossEntropy, crossEntropyPerRow } from "../kernels/softmax.js";
import { sum } from "../kernels/reduce.js";
import { hash32, Rng } from "../kernels/random.js";
import { backward } from "../tensor/autograd.js";
import { keep, noGrad, scope } from "../tensor/context.js";
import { Tensor } from "../tensor/tensor.js";
import { makeBatch } from "./dataset.js";
/** Training was aborted (Ctrl-C) inside an epoch; the history holds only the finished epochs. */
export class TrainingInterrupted extends Error {
    epoch;
    step;
    constructor(epoch, step) {
        super(`training interrupted at epoch ${epoch}, step ${step}`);
        this.epoch = epoch;
        this.step = step;
    }
}
/** Lets timers and signal handlers run: on a synchronous backend a step never yields otherwise. */
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
export class NonFiniteLossError extends Error {
    epoch;
    step;
    constructor(epoch, step, value) {
        super(`loss became ${value} at epoch ${epoch}, step ${step}: training stopped; try a lower learning rate (--lr)`);
        this.epoch = epoch;
        this.step = step;
    }
}
/** Sums of loss and correct predictions, kept on the device. */
class DeviceMetrics {
    loss = keep(Tensor.from([0], [1]));
    correct = keep(Tensor.from([0], [1]));
    count = 0;
    async read() {
        const [l, c] = await Promise.all([this.loss.item(), this.correct.item()]);
        return { loss: l / Math.max(1, this.count), accuracy: c / Math.max(1, this.count) };
    }
    dispose() {
        this.loss.dispose();
        this.correct.dispose();
    }
}
export async function evaluate(model, data, batchSize = 256) {
    const m = new DeviceMetrics();
    try {
        for (let start = 0; start < data.count; start += batchSize) {
            const end = Math.min(data.count, start + batchSize);
            noGrad(() => scope(() => {
                const b = makeBatch(data, null, start, end, model.inputShape);
                const logits = model.forward(b.x, { training: false, step: 0 });
                addInto(m.loss, sum(crossEntropyPerRow(logits, b.y)));
                countCorrectInto(m.correct, logits, b.y);
            }));
            m.count += end - start;
        }
        return await m.read();
    }
    finally {
        m.dispose();
    }
}
async function penaltyValue(model, l2) {
    const p = noGrad(() => scope(() => l2Penalty(model.trainable().filter((q) => q.regularized).map((q) => q.tensor), l2)));
    const v = await p.item();
    p.dispose();
    return v;
}
/** One optimisation step on one batch; adds the batch's loss and hits to `m`. */
function trainStep(model, optimizer, data, order, start, end, step, l2, m) {
    scope(() => {
        const b = makeBatch(data, order, start, end, model.inputShape);
        const logits = model.forward(b.x, { training: true, step });
        let loss = crossEntropy(logits, b.y);
        if (l2 > 0)
            loss = add(loss, l2Penalty(model.trainable().filter((p) => p.regularized).map((p) => p.tensor), l2));
        backward(loss);
        optimizer.step(model.trainable());
        addInto(m.loss, loss, b.size);
        countCorrectInto(m.correct, logits, b.y);
    });
    m.count += end - start;
}
export async function fit(model, optimizer, train, o) {
    const state = { model, optimizer, history: o.history ?? [], stop: false };
    const seed = o.seed ?? 0;
    const steps = Math.ceil(train.count / o.batchSize);
    const backend = model.parameters()[0].tensor.backend;
    for (let epoch = o.initialEpoch ?? 0; epoch < o.epochs && !state.stop; epoch++) {
        for (const c of o.callbacks ?? [])
            await c.onEpochBegin?.(epoch, state);
        const order = new Rng(hash32(seed ^ Math.imul(epoch + 1, 0x9e3779b1))).shuffle(train.count);
        const m = new DeviceMetrics();
        const started = performance.now();
        let lastReport = started;
        let lastYield = started;
        try {
            for (let s = 0; s < steps; s++) {
                if (o.signal) {
                    if (performance.now() - lastYield > 100) {
                        await yieldToEventLoop();
                        lastYield = performance.now();
                    }
                    if (o.signal.aborted)
                        throw new TrainingInterrupted(epoch + 1, s);
                }
                for (const c of o.callbacks ?? [])
                    c.onBatchBegin?.(epoch * steps + s, state);
                const start = s * o.batchSize;
                trainStep(model, optimizer, train, order, start, Math.min(train.count, start + o.batchSize), epoch * steps + s, o.l2 ?? 0, m);
                const now = performance.now();
                if (s === steps - 1 || (o.onProgress && now - lastReport >= (o.progressSeconds ?? 0.5) * 1000)) {
                    lastReport = now;
                    const running = await m.read();
                    if (!Number.isFinite(running.loss))
                        throw new NonFiniteLossError(epoch + 1, s + 1, running.loss);
                    o.onProgress?.({ epoch, epochs: o.epochs, step: s + 1, steps, ...running });
                }
            }
            await backend.sync();
            const seconds = (performance.now() - started) / 1000;
            const trainMetrics = await m.read();
            const logs = { epoch: epoch + 1, ...trainMetrics, lr: optimizer.lr, seconds, msPerStep: (seconds * 1000) / steps };
            if (o.validation && o.validation.count > 0) {
                const v = await evaluate(model, o.validation);
                // Keras's val_loss includes the regularization penalty, as the training loss does.
                logs.val_loss = v.loss + (o.l2 ? await penaltyValue(model, o.l2) : 0);
                logs.val_accuracy = v.accuracy;
            }
            state.history.push(logs);
            for (const c of o.callbacks ?? [])
                await c.onEpochEnd?.(logs, state);
        }
        finally {
            m.dispose();
        }
    }
    return state.history;
}
