/** Callbacks and schedules on synthetic histories; classification metrics on a hand-made matrix. */
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { Dense } from '../src/layers/dense.ts';
import { Sequential } from '../src/layers/sequential.ts';
import { Optimizer } from '../src/optim/optimizer.ts';
import { setBackend } from '../src/tensor/context.ts';
import { EarlyStopping, ReduceLROnPlateau, type Monitor } from '../src/train/callbacks.ts';
import type { EpochLogs, TrainingState } from '../src/train/fit.ts';
import { schedule } from '../src/train/schedules.ts';
import { classificationReport, confusionMatrix, formatClassificationReport, mostConfused } from '../src/eval/metrics.ts';

setBackend(new ReferenceBackend());

const logs = (epoch: number, m: Partial<EpochLogs>): EpochLogs => ({ epoch, loss: 1, accuracy: 0.5, lr: 0, seconds: 0, msPerStep: 0, ...m });

function state(lr = 1e-3): TrainingState {
  const model = new Sequential([new Dense(1)], [2]).build(0);
  return { model, optimizer: new Optimizer('adam', { lr }), history: [], stop: false };
}

/** Feeds `values` as the monitored metric; returns the epoch it stopped after (0: never). */
async function runEarly(cb: EarlyStopping, monitor: Monitor, values: number[], s = state()): Promise<number> {
  for (let i = 0; i < values.length && !s.stop; i++) await cb.onEpochEnd(logs(i + 1, { [monitor]: values[i] }), s);
  return cb.stoppedEpoch;
}

describe('EarlyStopping (Keras semantics)', () => {
  it('stops after `patience` epochs without improvement and names the best epoch', async () => {
    const cb = new EarlyStopping({ monitor: 'val_loss', patience: 2 });
    expect(await runEarly(cb, 'val_loss', [1.0, 0.8, 0.85, 0.9, 0.7])).toBe(4);
    expect(cb.bestEpoch).toBe(2);
    expect(cb.best).toBe(0.8);
  });

  it('maximises accuracy and needs min_delta to count an improvement', async () => {
    const cb = new EarlyStopping({ monitor: 'val_accuracy', patience: 2, minDelta: 0.01 });
    expect(await runEarly(cb, 'val_accuracy', [0.9, 0.905, 0.909, 0.95])).toBe(3);
    expect(cb.bestEpoch).toBe(1);
  });

  it('patience 0 never stops after the first epoch (epoch > 0 in Keras)', async () => {
    const cb = new EarlyStopping({ monitor: 'val_loss', patience: 0 });
    expect(await runEarly(cb, 'val_loss', [1, 2])).toBe(2);
  });

  it('restores the weights of the best epoch', async () => {
    const s = state();
    const w = s.model.parameters()[0];
    const cb = new EarlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true });
    const set = (v: number) => w.tensor.backend.write(w.tensor.storage, [v, v]);
    set(1);
    await cb.onEpochEnd(logs(1, { val_loss: 0.5 }), s);
    set(2);
    await cb.onEpochEnd(logs(2, { val_loss: 0.6 }), s);
    expect(s.stop).toBe(true);
    expect(cb.restored).toBe(true);
    expect(Array.from(await w.tensor.read())).toEqual([1, 1]);
  });

  it('refuses a metric the logs do not have, saying why', async () => {
    const cb = new EarlyStopping({ monitor: 'val_loss' });
    await expect(cb.onEpochEnd(logs(1, {}), state())).rejects.toThrow(/"val_loss" is not in the epoch logs.*validation split/);
  });

  it('carries its counters across a save and restore', async () => {
    const a = new EarlyStopping({ monitor: 'loss', patience: 3 });
    await runEarly(a, 'loss', [1, 0.9, 0.95]);
    const b = new EarlyStopping({ monitor: 'loss', patience: 3 });
    b.setState(a.getState());
    expect({ wait: b.wait, best: b.best, bestEpoch: b.bestEpoch }).toEqual({ wait: 1, best: 0.9, bestEpoch: 2 });
  });
});

describe('ReduceLROnPlateau (Keras semantics)', () => {
  it('multiplies the rate by factor after patience epochs, never below min_lr, and says so', () => {
    const lines: string[] = [];
    const s = state(1e-3);
    const cb = new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 2, minLr: 1e-4, log: (l) => lines.push(l) });
    const lrs: number[] = [];
    [1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9].forEach((v, i) => {
      cb.onEpochEnd(logs(i + 1, { val_loss: v }), s);
      lrs.push(s.optimizer.lr);
    });
    expect(lrs.map((x) => Number(x.toPrecision(6)))).toEqual([1e-3, 1e-3, 1e-3, 2e-4, 2e-4, 1e-4, 1e-4, 1e-4]);
    expect(lines).toEqual(['Epoch 4: ReduceLROnPlateau reducing learning rate to 0.0002.', 'Epoch 6: ReduceLROnPlateau reducing learning rate to 0.0001.']);
  });

  it('an improvement smaller than min_delta (1e-4) is a plateau; cooldown pauses counting', () => {
    const s = state(1);
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, cooldown: 1 });
    for (const [i, v] of [1, 0.99995, 0.5, 0.5, 0.5].entries()) cb.onEpochEnd(logs(i + 1, { loss: v }), s);
    // epoch 2: plateau → 0.5; epoch 3: improvement (in cooldown); epoch 4: plateau → 0.25; epoch 5: cooldown
    expect(s.optimizer.lr).toBe(0.25);
  });
});

describe('schedules', () => {
  const o = { baseLr: 0.1, stepsPerEpoch: 10, epochs: 10 };
  it('step halves every decay interval', () => {
    const f = schedule('step', { ...o, decay: 0.5, decayEpochs: 3 });
    expect([0, 29, 30, 59, 60].map(f)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it('cosine goes from the base rate to zero through half at the middle', () => {
    const f = schedule('cosine', o);
    expect(f(0)).toBeCloseTo(0.1, 12);
    expect(f(50)).toBeCloseTo(0.05, 12);
    expect(f(100)).toBeCloseTo(0, 12);
  });
  it('one-cycle rises from base/25 to the base at 30% and anneals to base/25/1e4', () => {
    const f = schedule('one-cycle', o);
    expect(f(0)).toBeCloseTo(0.004, 12);
    expect(f(29)).toBeCloseTo(0.1, 12);
    expect(f(99)).toBeCloseTo(0.004 / 1e4, 12);
    expect(f(10)).toBeGreaterThan(f(0));
    expect(f(60)).toBeLessThan(f(29));
  });
});

describe('classification report', () => {
  // true 0: 5 right, 1 → 1; true 1: 2 → 0, 3 right, 1 → 2; true 2: 4 right
  const m = [
    [5, 1, 0],
    [2, 3, 1],
    [0, 0, 4],
  ];
  it('per-class, macro and weighted numbers agree with scikit-learn', () => {
    const r = classificationReport(m);
    expect(r.classes.map((c) => [c.precision, c.recall, c.f1, c.support].map((v) => Number(v.toFixed(4))))).toEqual([
      [0.7143, 0.8333, 0.7692, 6],
      [0.75, 0.5, 0.6, 6],
      [0.8, 1, 0.8889, 4],
    ]);
    expect(r.accuracy).toBe(0.75);
    expect(r.macro.precision).toBeCloseTo((5 / 7 + 0.75 + 0.8) / 3, 12);
    expect(r.weighted.recall).toBeCloseTo(0.75, 12);
    expect(r.weighted.f1).toBeCloseTo((6 * (10 / 13) + 6 * 0.6 + 4 * (8 / 9)) / 16, 12);
  });
  it('prints as scikit-learn prints it', () => {
    expect(formatClassificationReport(classificationReport(m))).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '           0       0.71      0.83      0.77         6',
        '           1       0.75      0.50      0.60         6',
        '           2       0.80      1.00      0.89         4',
        '',
        '    accuracy                           0.75        16',
        '   macro avg       0.75      0.78      0.75        16',
        'weighted avg       0.75      0.75      0.74        16',
      ].join('\n'),
    );
  });
  it('a class never predicted gets precision 0, and confused pairs are ranked', () => {
    const r = classificationReport([[2, 0], [1, 0]]);
    expect(r.classes[1].precision).toBe(0);
    expect(mostConfused(m, 2)).toEqual([{ true: 1, predicted: 0, count: 2 }, { true: 0, predicted: 1, count: 1 }]);
    expect(confusionMatrix([0, 1, 1], [0, 0, 1], 2)).toEqual([[1, 0], [1, 1]]);
  });
});
