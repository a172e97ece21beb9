/**
 * The training loop: Keras's fit() on our kernels. A step never reads from the device: loss and
 * accuracy are summed there and read at most a few times a second for the progress display.
 */
import { add, addInto } from '../kernels/elementwise.ts';
import { countCorrectInto } from '../kernels/metrics.ts';
import { crossEntropy, crossEntropyPerRow } from '../kernels/softmax.ts';
import { sum } from '../kernels/reduce.ts';
import { hash32, Rng } from '../kernels/random.ts';
import type { Sequential } from '../layers/sequential.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { backward } from '../tensor/autograd.ts';
import { keep, noGrad, scope } from '../tensor/context.ts';
import { Tensor } from '../tensor/tensor.ts';
import type { Backend } from '../tensor/backend.ts';
import { BatchLoader, type Examples } from './dataset.ts';
import { penaltyLoss, penaltyValue } from './regularizer.ts';

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
  /** false: every epoch reads the examples in their stored order (default true: a seeded shuffle) */
  shuffle?: boolean;
  validation?: Examples;
  /** Keras's kernel_regularizer=l2(λ) on every Dense and Conv kernel without a λ of its own */
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

/** The loss, the validation loss or a weight stopped being a finite number; nothing of that epoch is kept. */
export class NonFiniteLossError extends Error {
  constructor(readonly epoch: number, readonly step: number, value: number, what = 'loss') {
    super(`${what} became ${value} at epoch ${epoch}, step ${step}: training stopped; try a lower learning rate (--lr)`);
  }
}

/** The first parameter holding NaN or ±Infinity, with the offending value; null when all are finite. */
async function nonFiniteParameter(model: Sequential): Promise<{ name: string; value: number } | null> {
  for (const p of model.parameters()) {
    const data = await p.tensor.read();
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return { name: p.fullName, value: data[i] };
  }
  return null;
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

/** What evaluate() needs besides the model and data. */
export interface EvaluateOptions {
  batchSize?: number;
  /** the run-wide L2 λ of kernels without their own; the penalty is part of the loss, as in Keras */
  l2?: number;
}

/** Loss (with the model's L2 penalty, as Keras's evaluate reports it) and accuracy on `data`. */
export async function evaluate(model: Sequential, data: Examples, options: EvaluateOptions | number = {}): Promise<{ loss: number; accuracy: number }> {
  const { batchSize = 256, l2 = 0 } = typeof options === 'number' ? { batchSize: options } : options;
  const m = new DeviceMetrics();
  const loader = new BatchLoader(data, model.inputShape, batchSize);
  const backend = model.parameters()[0].tensor.backend;
  let lastYield = performance.now();
  try {
    for (let start = 0; start < data.count; start += batchSize) {
      // Timers keep running during a long evaluation: a queue worker renews its job's lock on one.
      if (performance.now() - lastYield > 100) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      const end = Math.min(data.count, start + batchSize);
      noGrad(() =>
        scope(() => {
          const b = loader.load(null, start, end);
          const logits = model.forward(b.x, { training: false, step: 0 });
          addInto(m.loss, sum(crossEntropyPerRow(logits, b.y)));
          countCorrectInto(m.correct, logits, b.y);
        }),
      );
      backend.flush();
      m.count += end - start;
    }
    const r = await m.read();
    return { loss: r.loss + (await penaltyValue(model, l2)), accuracy: r.accuracy };
  } finally {
    m.dispose();
  }
}

/** One optimisation step on one batch; adds the batch's loss and hits to `m`. */
function trainStep(model: Sequential, backend: Backend, optimizer: Optimizer, loader: BatchLoader, order: Uint32Array | null, start: number, end: number, step: number, l2: number, m: DeviceMetrics, augment?: FitOptions['augment']): void {
  scope(() => {
    const b = loader.load(order, start, end, augment && ((x, n) => augment.apply(x, n, step)));
    const logits = model.forward(b.x, { training: true, step });
    let loss = crossEntropy(logits, b.y);
    const penalty = penaltyLoss(model, l2);
    if (penalty) loss = add(loss, penalty);
    backward(loss);
    optimizer.step(model.trainable());
    addInto(m.loss, loss, b.size);
    countCorrectInto(m.correct, logits, b.y);
  });
  // One submit a step: a GPU starts on the step while the next is recorded, and the step's freed
  // buffers come back to the pool for the next one (unsubmitted, they could not, and every step
  // made new buffers and bind groups until the backend's budget forced a submit).
  backend.flush();
  m.count += end - start;
}

export async function fit(model: Sequential, optimizer: Optimizer, train: Examples, o: FitOptions): Promise<EpochLogs[]> {
  const state: TrainingState = { model, optimizer, history: o.history ?? [], stop: false };
  const seed = o.seed ?? 0;
  if (train.count === 0) throw new Error('no training images: the training set is empty (check --limit and --validation-split)');
  const steps = Math.ceil(train.count / o.batchSize);
  const backend = model.parameters()[0].tensor.backend;
  const loader = new BatchLoader(train, model.inputShape, o.batchSize);
  for (let epoch = o.initialEpoch ?? 0; epoch < o.epochs && !state.stop; epoch++) {
    for (const c of o.callbacks ?? []) await c.onEpochBegin?.(epoch, state);
    const order = o.shuffle === false ? null : new Rng(hash32(seed ^ Math.imul(epoch + 1, 0x9e3779b1))).shuffle(train.count);
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
        trainStep(model, backend, optimizer, loader, order, start, Math.min(train.count, start + o.batchSize), epoch * steps + s, o.l2 ?? 0, m, o.augment);
        // A GPU backend times its GEMM tiles on the shapes met since its last sync (once per adapter
        // and shape, then cached): waiting once after the first step runs the rest of the training on
        // the tuned tiles instead of learning them at the epoch's end. Elsewhere it costs one wait.
        if (s === 0 && epoch === (o.initialEpoch ?? 0)) await backend.sync();
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
        // Keras's val_loss includes the regularization penalty, as the training loss does.
        const v = await evaluate(model, o.validation, { l2: o.l2 });
        logs.val_loss = v.loss;
        logs.val_accuracy = v.accuracy;
      }
      // Checked before any callback sees the epoch, so that no checkpoint or model of it is written.
      if (!Number.isFinite(logs.loss)) throw new NonFiniteLossError(epoch + 1, steps, logs.loss);
      if (logs.val_loss !== undefined && !Number.isFinite(logs.val_loss)) throw new NonFiniteLossError(epoch + 1, steps, logs.val_loss, 'val_loss');
      const bad = await nonFiniteParameter(model);
      if (bad) throw new NonFiniteLossError(epoch + 1, steps, bad.value, `weight "${bad.name}"`);
      state.history.push(logs);
      for (const c of o.callbacks ?? []) await c.onEpochEnd?.(logs, state);
    } finally {
      m.dispose();
    }
  }
  return state.history;
}
