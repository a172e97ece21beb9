/**
 * Learning-rate schedules as pure functions of the global step, so that a resumed run sets the
 * same rate at every step as an uninterrupted one.
 */
export declare const scheduleNames: readonly ["constant", "step", "cosine", "one-cycle", "warmup-cosine", "warmup-linear"];
export type ScheduleName = (typeof scheduleNames)[number];
export interface ScheduleOptions {
    /** the optimizer's rate; one-cycle's peak */
    baseLr: number;
    stepsPerEpoch: number;
    epochs: number;
    /** step decay: multiply by `decay` every `decayEpochs` epochs (defaults 0.5 and 5) */
    decay?: number;
    decayEpochs?: number;
    /** warm-up schedules: the fraction of the run spent rising linearly from 0 (default 0.1) */
    warmup?: number;
}
/**
 * PyTorch's OneCycleLR (two phases, cosine annealing, cycle_momentum off, pct_start 0.3,
 * div_factor 25, final_div_factor 1e4) over `total` steps: the first phase ends at the float step
 * 0.3·total − 1, as torch computes it, rising from peak/25; the second falls to peak/25/1e4 at
 * step total − 1.
 */
export declare function oneCycle(peak: number, t: number, total: number): number;
export declare function schedule(name: ScheduleName, o: ScheduleOptions): (step: number) => number;
