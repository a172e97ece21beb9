/**
 * The training loop: Keras's fit() on our kernels. A step never reads from the device: loss and
 * accuracy are summed there and read at most a few times a second for the progress display.
 */
import { add, addInto } from '../kernels/elementwise.ts';
import { countCorrectInto } from '../kernels/metrics.ts';
import { l2Penalty } from '../kernels/penalty.ts';
import { crossEntropy, crossEntropyPerRow } from '../kernels/softmax.ts';
import { sum } from '../kernels/reduce.ts';
import { hash32, Rng } from '../kernels/random.ts';
import type { Sequential } from '../layers/sequential.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { backward } from '../tensor/autograd.ts';
import { keep, noGrad, scope } from '../tensor/context.ts';
import { Tensor } from '../tensor/tensor.ts';
import { makeBatch, type Examples } from './dataset.ts';

export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  lr: number;
  seconds: number;
  msPerStep: number;
}

export interface TrainingState {
  readonly model: Sequential;
  readonly optimizer: Optimizer;
  readonly history: EpochLogs[];
  /** set by a callback to end training after the current epoch */
  stop: boolean;
}

export interface Callback {
  onEpochBegin?(epoch: number, state: TrainingState): void | Promise<void>;
  /** before each optimisation step; `step` counts from 0 over the whole run. Synchronous: it runs inside the step loop. */
  onBatchBegin?(step: number, state: TrainingState): void;
  onEpochEnd?(logs: EpochLogs, state: TrainingState): void | Promise<void>;
}

export interface Progress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  seed?: number;
  validation?: Examples;
  /** Keras's kernel_regularizer=l2(λ) on every Dense and Conv kernel */
  l2?: number;
  callbacks?: Callback[];
  /** called at most every `progressSeconds` with the running means */
  onProgress?: (p: Progress) => void;
  progressSeconds?: number;
  /** epoch to start from (resume); the history already holds the earlier ones */
  initialEpoch?: number;
  history?: EpochLogs[];
  /** aborting ends training after the current step with a TrainingInterrupted error */
  signal?: AbortSignal;
  /** distorts each training batch on the host (src/train/augment.ts); validation is left alone */
  augment?: { apply(x: Float32Array, n: number, step: number): void };
}

/** Training was aborted (Ctrl-C) inside an epoch; the history holds only the finished epochs. */
export class TrainingInterrupted extends Error {
  constructor(readonly epoch: number, readonly step: number) {
    super(`training interrupted at epoch ${epoch}, step ${step}`);
  }
}

/** Lets timers and signal handlers run: on a synchronous backend a step never yields otherwise. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class NonFiniteLossError extends Error {
  constructor(readonly epoch: number, readonly step: number, value: number) {
    super(`loss became ${value} at epoch ${epoch}, step ${step}: training stopped; try a lower learning rate (--lr)`);
  }
}

/** Sums of loss and correct predictions, kept on the device. */
class DeviceMetrics {
  readonly loss = keep(Tensor.from([0], [1]));
  readonly correct = keep(Tensor.from([0], [1]));
  count = 0;
  async read(): Promise<{ loss: number; accuracy: number }> {
    const [l, c] = await Promise.all([this.loss.item(), this.correct.item()]);
    return { loss: l / Math.max(1, this.count), accuracy: c / Math.max(1, this.count) };
  }
  dispose(): void {
    this.loss.dispose();
    this.correct.dispose();
  }
}

export async function evaluate(model: Sequential, data: Examples, batchSize = 256): Promise<{ loss: number; accuracy: number }> {
  const m = new DeviceMetrics();
  try {
    for (let start = 0; start < data.count; start += batchSize) {
      const end = Math.min(data.count, start + batchSize);
      noGrad(() =>
        scope(() => {
          const b = makeBatch(data, null, start, end, model.inputShape);
          const logits = model.forward(b.x, { training: false, step: 0 });
          addInto(m.loss, sum(crossEntropyPerRow(logits, b.y)));
          countCorrectInto(m.correct, logits, b.y);
        }),
      );
      m.count += end - start;
    }
    return await m.read();
  } finally {
    m.dispose();
  }
}

async function penaltyValue(model: Sequential, l2: number): Promise<number> {
  const p = noGrad(() => scope(() => l2Penalty(model.trainable().filter((q) => q.regularized).map((q) => q.tensor), l2)));
  const v = await p.item();
  p.dispose();
  return v;
}

/** One optimisation step on one batch; adds the batch's loss and hits to `m`. */
function trainStep(model: Sequential, optimizer: Optimizer, data: Examples, order: Uint32Array, start: number, end: number, step: number, l2: number, m: DeviceMetrics, augment?: FitOptions['augment']): void {
  scope(() => {
    const b = makeBatch(data, order, start, end, model.inputShape, augment && ((x, n) => augment.apply(x, n, step)));
    const logits = model.forward(b.x, { training: true, step });
    let loss = crossEntropy(logits, b.y);
    if (l2 > 0) loss = add(loss, l2Penalty(model.trainable().filter((p) => p.regularized).map((p) => p.tensor), l2));
    backward(loss);
    optimizer.step(model.trainable());
    addInto(m.loss, loss, b.size);
    countCorrectInto(m.correct, logits, b.y);
  });
  m.count += end - start;
}

export async function fit(model: Sequential, optimizer: Optimizer, train: Examples, o: FitOptions): Promise<EpochLogs[]> {
  const state: TrainingState = { model, optimizer, history: o.history ?? [], stop: false };
  const seed = o.seed ?? 0;
  const steps = Math.ceil(train.count / o.batchSize);
  const backend = model.parameters()[0].tensor.backend;
  for (let epoch = o.initialEpoch ?? 0; epoch < o.epochs && !state.stop; epoch++) {
    for (const c of o.callbacks ?? []) await c.onEpochBegin?.(epoch, state);
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
          if (o.signal.aborted) throw new TrainingInterrupted(epoch + 1, s);
        }
        for (const c of o.callbacks ?? []) c.onBatchBegin?.(epoch * steps + s, state);
        const start = s * o.batchSize;
        trainStep(model, optimizer, train, order, start, Math.min(train.count, start + o.batchSize), epoch * steps + s, o.l2 ?? 0, m, o.augment);
        const now = performance.now();
        if (s === steps - 1 || (o.onProgress && now - lastReport >= (o.progressSeconds ?? 0.5) * 1000)) {
          lastReport = now;
          const running = await m.read();
          if (!Number.isFinite(running.loss)) throw new NonFiniteLossError(epoch + 1, s + 1, running.loss);
          o.onProgress?.({ epoch, epochs: o.epochs, step: s + 1, steps, ...running });
        }
      }
      await backend.sync();
      const seconds = (performance.now() - started) / 1000;
      const trainMetrics = await m.read();
      const logs: EpochLogs = { epoch: epoch + 1, ...trainMetrics, lr: optimizer.lr, seconds, msPerStep: (seconds * 1000) / steps };
      if (o.validation && o.validation.count > 0) {
        const v = await evaluate(model, o.validation);
        // Keras's val_loss includes the regularization penalty, as the training loss does.
        logs.val_loss = v.loss + (o.l2 ? await penaltyValue(model, o.l2) : 0);
        logs.val_accuracy = v.accuracy;
      }
      state.history.push(logs);
      for (const c of o.callbacks ?? []) await c.onEpochEnd?.(logs, state);
    } finally {
      m.dispose();
    }
  }
  return state.history;
}
