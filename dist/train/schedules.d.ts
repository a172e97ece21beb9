/**
 * Learning-rate schedules as pure functions of the global step, so that a resumed run sets the
 * same rate at every step as an uninterrupted one.
 */
export declare const scheduleNames: readonly ["constant", "step", "cosine", "one-cycle"];
export type ScheduleName = (typeof scheduleNames)[number];
export interface ScheduleOptions {
    /** the optimizer's rate; one-cycle's peak */
    baseLr: number;
    stepsPerEpoch: number;
    epochs: number;
    /** step decay: multiply by `decay` every `decayEpochs` epochs (defaults 0.5 and 5) */
    decay?: number;
    decayEpochs?: number;
}
export declare function schedule(name: ScheduleName, o: ScheduleOptions): (step: number) => number;
