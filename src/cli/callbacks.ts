/** The train command's callback options, turned into callbacks (src/train/callbacks.ts). */
import { EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, type Monitor, type StatefulCallback } from '../train/callbacks.ts';
import type { Callback } from '../train/fit.ts';
import { schedule, type ScheduleName } from '../train/schedules.ts';

export interface CallbackOptions {
  earlyStopping: boolean;
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
  reduceLr: boolean;
  reduceLrFactor: number;
  reduceLrPatience: number;
  minLr: number;
  lrSchedule: ScheduleName;
  lrDecay: number;
  lrDecayEpochs: number;
  /** warm-up schedules: fraction of the run spent warming up */
  warmup?: number;
}

export interface Built {
  callbacks: Callback[];
  /** those whose state goes into checkpoints */
  stateful: StatefulCallback[];
  early: EarlyStopping | null;
}

export function buildCallbacks(o: CallbackOptions, run: { lr: number; stepsPerEpoch: number; epochs: number; hasValidation: boolean; log: (line: string) => void }): Built {
  if ((o.earlyStopping || o.reduceLr) && o.monitor.startsWith('val_') && !run.hasValidation) {
    throw new Error(`--monitor ${o.monitor} needs validation data: use --validation-split > 0, or --monitor ${o.monitor.slice(4)}`);
  }
  if (o.reduceLr && o.lrSchedule !== 'constant') {
    throw new Error(`--reduce-lr and --lr-schedule ${o.lrSchedule} both set the learning rate: choose one`);
  }
  const callbacks: Callback[] = [];
  const stateful: StatefulCallback[] = [];
  if (o.lrSchedule !== 'constant') {
    callbacks.push(new LearningRateScheduler(schedule(o.lrSchedule, { baseLr: run.lr, stepsPerEpoch: run.stepsPerEpoch, epochs: run.epochs, decay: o.lrDecay, decayEpochs: o.lrDecayEpochs, warmup: o.warmup })));
  }
  let early: EarlyStopping | null = null;
  if (o.earlyStopping) {
    early = new EarlyStopping({ monitor: o.monitor, patience: o.patience, minDelta: o.minDelta, restoreBestWeights: o.restoreBest });
    callbacks.push(early);
    stateful.push(early);
  }
  if (o.reduceLr) {
    const r = new ReduceLROnPlateau({ monitor: o.monitor, factor: o.reduceLrFactor, patience: o.reduceLrPatience, minLr: o.minLr, log: run.log });
    callbacks.push(r);
    stateful.push(r);
  }
  return { callbacks, stateful, early };
}
