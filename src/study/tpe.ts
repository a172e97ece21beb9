/**
 * The Tree-structured Parzen Estimator (Bergstra et al., 2011), as hyperopt and Optuna run it:
 * the trials so far are split into the best γ and the rest; each parameter gets a density for
 * each group (smoothed counts for discrete ones, a Gaussian mixture for continuous ones, in log
 * space for log-uniform ones); candidates are drawn from the good density and the one with the
 * highest good/bad ratio is proposed. Parameters are modelled independently.
 */
import type { Rng } from '../kernels/random.ts';
import { discreteValues, drawParam, paramNames, round3, type Distribution, type SearchSpace, type TrialConfig, type Value } from './space.ts';

const GAMMA = 0.25;
const CANDIDATES = 24;

export interface Observation {
  config: TrialConfig;
  /** higher is better */
  score: number;
}

interface Density {
  logPdf(x: Value): number;
  sample(rng: Rng): Value;
}

function discreteDensity(values: Value[], seen: Value[]): Density {
  // One pseudo-count per value: a value never tried keeps a chance.
  const counts = values.map((v) => 1 + seen.filter((s) => s === v).length);
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    logPdf: (x) => Math.log((counts[values.indexOf(x)] ?? 0) / total),
    sample: (rng) => {
      let u = rng.next() * total;
      for (let i = 0; i < values.length; i++) if ((u -= counts[i]) < 0) return values[i];
      return values.at(-1)!;
    },
  };
}

/** Gaussians at the observations plus the prior (uniform over the range) as one more component. */
function continuousDensity(d: { kind: 'uniform' | 'loguniform'; min: number; max: number }, seen: number[]): Density {
  const log = d.kind === 'loguniform';
  const to = (x: number) => (log ? Math.log(x) : x);
  const lo = to(d.min);
  const hi = to(d.max);
  const width = Math.max(hi - lo, 1e-12);
  const mus = seen.map(to);
  // Scott-like bandwidth: narrower as observations accumulate, never below 1% of the range.
  const sigma = Math.max(width / Math.max(1, mus.length) ** 0.2 / 2, width * 0.01);
  const k = mus.length + 1;
  return {
    logPdf: (x) => {
      const t = to(x as number);
      let p = 1 / width / k;
      for (const m of mus) p += Math.exp(-0.5 * ((t - m) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI)) / k;
      return Math.log(p);
    },
    sample: (rng) => {
      const c = rng.int(k);
      let t = c === mus.length ? lo + rng.next() * width : mus[c] + sigma * rng.normal();
      t = Math.min(hi, Math.max(lo, t));
      return round3(log ? Math.exp(t) : t);
    },
  };
}

function density(d: Distribution, seen: Value[]): Density {
  const values = discreteValues(d);
  if (values) return discreteDensity(values, seen);
  return continuousDensity(d as { kind: 'uniform' | 'loguniform'; min: number; max: number }, seen as number[]);
}

/** The next configuration to try, from the observations so far; `rng` fixes the draw. */
export function proposeTpe(space: SearchSpace, observations: readonly Observation[], rng: Rng): TrialConfig {
  // Best first; ties in the order the trials were started, so every process splits alike.
  const ranked = observations.map((o, i) => ({ ...o, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const nGood = Math.max(1, Math.ceil(GAMMA * ranked.length));
  const good = ranked.slice(0, nGood);
  const bad = ranked.slice(nGood);
  const models = paramNames.map((name) => {
    const d = space.params[name];
    return { name, l: density(d, good.map((o) => o.config[name])), g: density(d, bad.map((o) => o.config[name])), fixed: d.kind === 'fixed', d };
  });
  let best: { config: TrialConfig; score: number } | null = null;
  for (let c = 0; c < CANDIDATES; c++) {
    let score = 0;
    const config = {} as Record<string, Value>;
    for (const m of models) {
      const x = m.fixed ? drawParam(m.d, rng) : m.l.sample(rng);
      config[m.name] = x;
      if (!m.fixed) score += m.l.logPdf(x) - m.g.logPdf(x);
    }
    if (!best || score > best.score) best = { config: config as unknown as TrialConfig, score };
  }
  return best!.config;
}
