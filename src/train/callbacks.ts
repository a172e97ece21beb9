/**
 * Keras's training callbacks with Keras's semantics: EarlyStopping, ReduceLROnPlateau and
 * LearningRateScheduler. Each can save and restore its state, so a resumed run decides exactly
 * as an uninterrupted one would.
 */
import type { HostTensor } from '../tensor/storage.ts';
import type { Callback, EpochLogs, TrainingState } from './fit.ts';

export type Monitor = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy';
export const monitorNames: readonly Monitor[] = ['val_loss', 'val_accuracy', 'loss', 'accuracy'];
export type Mode = 'auto' | 'min' | 'max';

/** What a callback carries across a resume: JSON, and tensors for saved weights. */
export interface CallbackState {
  json: Record<string, number | boolean | null>;
  tensors?: Record<string, HostTensor>;
}

export interface StatefulCallback extends Callback {
  /** key of its state in a checkpoint */
  readonly id: string;
  getState(): CallbackState;
  setState(s: CallbackState): void;
}

/** Keras's 'auto': accuracy-like metrics are maximised, everything else minimised. */
function direction(monitor: string, mode: Mode): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return monitor.includes('acc') ? 'max' : 'min';
}

function read(logs: EpochLogs, monitor: Monitor, who: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    const have = Object.keys(logs).filter((k) => k.includes('loss') || k.includes('acc'));
    throw new Error(`${who}: metric "${monitor}" is not in the epoch logs (they have ${have.join(', ')}); val_* metrics need a validation split`);
  }
  return v;
}

export interface EarlyStoppingOptions {
  monitor?: Monitor;
  /** an improvement smaller than this does not count */
  minDelta?: number;
  /** epochs without improvement before stopping (Keras: 0; wgnn's CLI: 3) */
  patience?: number;
  mode?: Mode;
  /** a value the monitor must beat before patience resets */
  baseline?: number;
  /** on stopping, go back to the weights of the best epoch */
  restoreBestWeights?: boolean;
}

export class EarlyStopping implements StatefulCallback {
  readonly id = 'early_stopping';
  readonly monitor: Monitor;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  wait = 0;
  best: number | null = null;
  /** 1-based epoch of the best value, 0 before the first */
  bestEpoch = 0;
  /** 1-based epoch training stopped after, 0 if it did not stop */
  stoppedEpoch = 0;
  restored = false;
  bestWeights: Record<string, HostTensor> | null = null;

  constructor(o: EarlyStoppingOptions = {}) {
    this.monitor = o.monitor ?? 'val_loss';
    this.minDelta = Math.abs(o.minDelta ?? 0);
    this.patience = o.patience ?? 0;
    this.mode = direction(this.monitor, o.mode ?? 'auto');
    this.baseline = o.baseline;
    this.restoreBestWeights = o.restoreBestWeights ?? false;
  }

  private isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  async onEpochEnd(logs: EpochLogs, state: TrainingState): Promise<void> {
    const current = read(logs, this.monitor, 'EarlyStopping');
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = await state.model.stateDict();
    this.wait++;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = logs.epoch;
      if (this.restoreBestWeights) this.bestWeights = await state.model.stateDict();
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) {
        this.wait = 0;
        return;
      }
    }
    if (this.wait >= this.patience && logs.epoch > 1) {
      this.stoppedEpoch = logs.epoch;
      state.stop = true;
      if (this.restoreBestWeights && this.bestWeights) {
        state.model.loadStateDict(this.bestWeights, 'best weights');
        this.restored = true;
      }
    }
  }

  getState(): CallbackState {
    return {
      json: { wait: this.wait, best: this.best, bestEpoch: this.bestEpoch, stoppedEpoch: this.stoppedEpoch, restored: this.restored },
      tensors: this.bestWeights ?? undefined,
    };
  }

  setState(s: CallbackState): void {
    const j = s.json;
    this.wait = Number(j.wait ?? 0);
    this.best = typeof j.best === 'number' ? j.best : null;
    this.bestEpoch = Number(j.bestEpoch ?? 0);
    this.stoppedEpoch = Number(j.stoppedEpoch ?? 0);
    this.restored = j.restored === true;
    this.bestWeights = s.tensors && Object.keys(s.tensors).length ? s.tensors : null;
  }
}

export interface ReduceLROnPlateauOptions {
  monitor?: Monitor;
  /** new rate = rate × factor (Keras: 0.1; wgnn's CLI: 0.2) */
  factor?: number;
  /** epochs without improvement before reducing (Keras: 10; wgnn's CLI: 2) */
  patience?: number;
  mode?: Mode;
  /** Keras's threshold for a significant change (1e-4) */
  minDelta?: number;
  /** epochs to wait after a reduction before counting again */
  cooldown?: number;
  /** the rate never goes below this (Keras: 0; wgnn's CLI: 1e-4) */
  minLr?: number;
  /** told about every reduction: "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0002." */
  log?: (line: string) => void;
}

export class ReduceLROnPlateau implements StatefulCallback {
  readonly id = 'reduce_lr_on_plateau';
  readonly monitor: Monitor;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly log?: (line: string) => void;
  wait = 0;
  cooldownCounter = 0;
  best: number;

  constructor(o: ReduceLROnPlateauOptions = {}) {
    this.monitor = o.monitor ?? 'val_loss';
    this.factor = o.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) throw new Error(`ReduceLROnPlateau: factor must be in (0, 1), got ${this.factor}`);
    this.patience = o.patience ?? 10;
    this.mode = direction(this.monitor, o.mode ?? 'auto');
    this.minDelta = o.minDelta ?? 1e-4;
    this.cooldown = o.cooldown ?? 0;
    this.minLr = o.minLr ?? 0;
    this.log = o.log;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  private better(a: number, b: number): boolean {
    return this.mode === 'min' ? a < b - this.minDelta : a > b + this.minDelta;
  }

  onEpochEnd(logs: EpochLogs, state: TrainingState): void {
    const current = read(logs, this.monitor, 'ReduceLROnPlateau');
    const inCooldown = this.cooldownCounter > 0;
    if (inCooldown) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.better(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!inCooldown) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = state.optimizer.lr;
        // Keras compares in float32 (its rate is a float32 variable): a rate at min_lr is not "reduced" again.
        if (Math.fround(old) > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          state.optimizer.lr = lr;
          this.log?.(`Epoch ${logs.epoch}: ReduceLROnPlateau reducing learning rate to ${Number(lr.toPrecision(4))}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  getState(): CallbackState {
    return { json: { wait: this.wait, cooldownCounter: this.cooldownCounter, best: Number.isFinite(this.best) ? this.best : null } };
  }

  setState(s: CallbackState): void {
    this.wait = Number(s.json.wait ?? 0);
    this.cooldownCounter = Number(s.json.cooldownCounter ?? 0);
    this.best = typeof s.json.best === 'number' ? s.json.best : this.mode === 'min' ? Infinity : -Infinity;
  }
}

/** Sets the optimizer's rate before every step from a pure function of the global step. */
export class LearningRateScheduler implements Callback {
  constructor(readonly lrAt: (step: number) => number) {}
  onBatchBegin(step: number, state: TrainingState): void {
    state.optimizer.lr = this.lrAt(step);
  }
}
