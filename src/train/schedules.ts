/**
 * Learning-rate schedules as pure functions of the global step, so that a resumed run sets the
 * same rate at every step as an uninterrupted one.
 */
export const scheduleNames = ['constant', 'step', 'cosine', 'one-cycle', 'warmup-cosine', 'warmup-linear'] as const;
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

/** Keras's CosineDecay (alpha 0) over the whole run. */
function cosine(base: number, t: number, total: number): number {
  return 0.5 * base * (1 + Math.cos(Math.PI * Math.min(1, t / total)));
}

/** PyTorch's cosine annealing between two rates, `frac` ∈ [0, 1] of the way. */
const anneal = (from: number, to: number, frac: number) => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * frac));

/**
 * PyTorch's OneCycleLR (two phases, cosine annealing, cycle_momentum off, pct_start 0.3,
 * div_factor 25, final_div_factor 1e4) over `total` steps: the first phase ends at the float step
 * 0.3·total − 1, as torch computes it, rising from peak/25; the second falls to peak/25/1e4 at
 * step total − 1.
 */
export function oneCycle(peak: number, t: number, total: number): number {
  const initial = peak / 25;
  const final = initial / 1e4;
  const rise = 0.3 * total - 1;
  const last = total - 1;
  if (t <= rise) return anneal(initial, peak, rise > 0 ? t / rise : 1);
  return anneal(peak, final, Math.min(1, (t - rise) / Math.max(last - rise, 1e-12)));
}

/** Linear warm-up from 0 to the base rate over `warm` steps, then `decay` (cosine or linear) to 0 at `total`. */
function warmup(base: number, t: number, total: number, fraction: number, decay: 'cosine' | 'linear'): number {
  const warm = Math.round(fraction * total);
  if (t < warm) return (base * t) / warm;
  const frac = Math.min(1, (t - warm) / Math.max(1, total - warm));
  return decay === 'cosine' ? 0.5 * base * (1 + Math.cos(Math.PI * frac)) : base * (1 - frac);
}

export function schedule(name: ScheduleName, o: ScheduleOptions): (step: number) => number {
  const total = o.stepsPerEpoch * o.epochs;
  switch (name) {
    case 'constant':
      return () => o.baseLr;
    case 'step': {
      const decay = o.decay ?? 0.5;
      const every = o.decayEpochs ?? 5;
      return (step) => o.baseLr * decay ** Math.floor(Math.floor(step / o.stepsPerEpoch) / every);
    }
    case 'cosine':
      return (step) => cosine(o.baseLr, step, total);
    case 'one-cycle':
      return (step) => oneCycle(o.baseLr, step, total);
    case 'warmup-cosine':
    case 'warmup-linear': {
      const fraction = o.warmup ?? 0.1;
      if (!(fraction >= 0 && fraction < 1)) throw new Error(`warm-up fraction must be in [0, 1), got ${fraction}`);
      return (step) => warmup(o.baseLr, step, total, fraction, name === 'warmup-cosine' ? 'cosine' : 'linear');
    }
    default:
      throw new Error(`unknown learning-rate schedule "${name}": expected one of ${scheduleNames.join(', ')}`);
  }
}
