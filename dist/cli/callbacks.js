/** The train command's callback options, turned into callbacks (src/train/callbacks.ts). */
import { EarlyStopping, LearningRateScheduler, ReduceLROnPlateau } from "../train/callbacks.js";
import { schedule } from "../train/schedules.js";
export function buildCallbacks(o, run) {
    if ((o.earlyStopping || o.reduceLr) && o.monitor.startsWith('val_') && !run.hasValidation) {
        throw new Error(`--monitor ${o.monitor} needs validation data: use --validation-split > 0, or --monitor ${o.monitor.slice(4)}`);
    }
    if (o.reduceLr && o.lrSchedule !== 'constant') {
        throw new Error(`--reduce-lr and --lr-schedule ${o.lrSchedule} both set the learning rate: choose one`);
    }
    const callbacks = [];
    const stateful = [];
    if (o.lrSchedule !== 'constant') {
        callbacks.push(new LearningRateScheduler(schedule(o.lrSchedule, { baseLr: run.lr, stepsPerEpoch: run.stepsPerEpoch, epochs: run.epochs, decay: o.lrDecay, decayEpochs: o.lrDecayEpochs })));
    }
    let early = null;
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
