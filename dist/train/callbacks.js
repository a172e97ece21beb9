export const monitorNames = ['val_loss', 'val_accuracy', 'loss', 'accuracy'];
/** Keras's 'auto': accuracy-like metrics are maximised, everything else minimised. */
function direction(monitor, mode) {
    if (mode !== 'auto')
        return mode;
    return monitor.includes('acc') ? 'max' : 'min';
}
function read(logs, monitor, who) {
    const v = logs[monitor];
    if (v === undefined) {
        const have = Object.keys(logs).filter((k) => k.includes('loss') || k.includes('acc'));
        throw new Error(`${who}: metric "${monitor}" is not in the epoch logs (they have ${have.join(', ')}); val_* metrics need a validation split`);
    }
    return v;
}
export class EarlyStopping {
    id = 'early_stopping';
    monitor;
    minDelta;
    patience;
    mode;
    baseline;
    restoreBestWeights;
    wait = 0;
    best = null;
    /** 1-based epoch of the best value, 0 before the first */
    bestEpoch = 0;
    /** 1-based epoch training stopped after, 0 if it did not stop */
    stoppedEpoch = 0;
    restored = false;
    bestWeights = null;
    constructor(o = {}) {
        this.monitor = o.monitor ?? 'val_loss';
        this.minDelta = Math.abs(o.minDelta ?? 0);
        this.patience = o.patience ?? 0;
        this.mode = direction(this.monitor, o.mode ?? 'auto');
        this.baseline = o.baseline;
        this.restoreBestWeights = o.restoreBestWeights ?? false;
    }
    isImprovement(value, reference) {
        if (reference === null)
            return true;
        return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
    }
    async onEpochEnd(logs, state) {
        const current = read(logs, this.monitor, 'EarlyStopping');
        if (this.restoreBestWeights && this.bestWeights === null)
            this.bestWeights = await state.model.stateDict();
        this.wait++;
        if (this.isImprovement(current, this.best)) {
            this.best = current;
            this.bestEpoch = logs.epoch;
            if (this.restoreBestWeights)
                this.bestWeights = await state.model.stateDict();
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
    getState() {
        return {
            json: { wait: this.wait, best: this.best, bestEpoch: this.bestEpoch, stoppedEpoch: this.stoppedEpoch, restored: this.restored },
            tensors: this.bestWeights ?? undefined,
        };
    }
    setState(s) {
        const j = s.json;
        this.wait = Number(j.wait ?? 0);
        this.best = typeof j.best === 'number' ? j.best : null;
        this.bestEpoch = Number(j.bestEpoch ?? 0);
        this.stoppedEpoch = Number(j.stoppedEpoch ?? 0);
        this.restored = j.restored === true;
        this.bestWeights = s.tensors && Object.keys(s.tensors).length ? s.tensors : null;
    }
}
export class ReduceLROnPlateau {
    id = 'reduce_lr_on_plateau';
    monitor;
    factor;
    patience;
    mode;
    minDelta;
    cooldown;
    minLr;
    log;
    wait = 0;
    cooldownCounter = 0;
    best;
    constructor(o = {}) {
        this.monitor = o.monitor ?? 'val_loss';
        this.factor = o.factor ?? 0.1;
        if (!(this.factor > 0 && this.factor < 1))
            throw new Error(`ReduceLROnPlateau: factor must be in (0, 1), got ${this.factor}`);
        this.patience = o.patience ?? 10;
        this.mode = direction(this.monitor, o.mode ?? 'auto');
        this.minDelta = o.minDelta ?? 1e-4;
        this.cooldown = o.cooldown ?? 0;
        this.minLr = o.minLr ?? 0;
        this.log = o.log;
        this.best = this.mode === 'min' ? Infinity : -Infinity;
    }
    better(a, b) {
        return this.mode === 'min' ? a < b - this.minDelta : a > b + this.minDelta;
    }
    onEpochEnd(logs, state) {
        const current = read(logs, this.monitor, 'ReduceLROnPlateau');
        const inCooldown = this.cooldownCounter > 0;
        if (inCooldown) {
            this.cooldownCounter--;
            this.wait = 0;
        }
        if (this.better(current, this.best)) {
            this.best = current;
            this.wait = 0;
        }
        else if (!inCooldown) {
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
    getState() {
        return { json: { wait: this.wait, cooldownCounter: this.cooldownCounter, best: Number.isFinite(this.best) ? this.best : null } };
    }
    setState(s) {
        this.wait = Number(s.json.wait ?? 0);
        this.cooldownCounter = Number(s.json.cooldownCounter ?? 0);
        this.best = typeof s.json.best === 'number' ? s.json.best : this.mode === 'min' ? Infinity : -Infinity;
    }
}
/** Sets the optimizer's rate before every step from a pure function of the global step. */
export class LearningRateScheduler {
    lrAt;
    constructor(lrAt) {
        this.lrAt = lrAt;
    }
    onBatchBegin(step, state) {
        state.optimizer.lr = this.lrAt(step);
    }
}
