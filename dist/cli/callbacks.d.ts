/** The train command's callback options, turned into callbacks (src/train/callbacks.ts). */
import { EarlyStopping, type Monitor, type StatefulCallback } from '../train/callbacks.ts';
import type { Callback } from '../train/fit.ts';
import { type ScheduleName } from '../train/schedules.ts';
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
}
export interface Built {
    callbacks: Callback[];
    /** those whose state goes into checkpoints */
    stateful: StatefulCallback[];
    early: EarlyStopping | null;
}
export declare function buildCallbacks(o: CallbackOptions, run: {
    lr: number;
    stepsPerEpoch: number;
    epochs: number;
    hasValidation: boolean;
    log: (line: string) => void;
}): Built;
