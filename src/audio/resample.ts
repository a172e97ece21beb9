/**
 * Band-limited resampling by a Hann-windowed sinc: the cut-off sits at the lower of the two
 * Nyquist frequencies, so downsampling to 8 kHz does not fold 4–24 kHz back into the speech band.
 * Between two integer rates an output sample falls at one of `to / gcd` fractional positions
 * between input samples, so the kernel is tabulated once per position (160 of them for 22,050 →
 * 8,000 Hz) instead of evaluating sines for every tap of every sample.
 */

/** zero crossings of the sinc kept on each side */
const ZEROS = 12;
/** more distinct positions than this (odd, non-integer rates) are computed tap by tap */
const MAX_PHASES = 4096;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The kernel's weight for an input sample `offset` input samples before the output's position. */
function tap(offset: number, cutoff: number, half: number): number {
  const d = offset * cutoff;
  const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
  return sinc * (0.5 + 0.5 * Math.cos((Math.PI * offset) / half)) * cutoff;
}

export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  const ratio = to / from;
  const cutoff = Math.min(1, ratio);
  const half = ZEROS / cutoff;
  const n = Math.max(1, Math.round(x.length * ratio));
  const y = new Float32Array(n);
  const exact = Number.isInteger(from) && Number.isInteger(to);
  const g = exact ? gcd(from, to) : 1;
  const P = to / g, Q = from / g;
  if (!exact || P > MAX_PHASES) {
    for (let i = 0; i < n; i++) {
      const t = i / ratio;
      let acc = 0;
      for (let k = Math.max(0, Math.ceil(t - half)); k <= Math.min(x.length - 1, Math.floor(t + half)); k++) acc += x[k] * tap(t - k, cutoff, half);
      y[i] = acc;
    }
    return y;
  }
  // Output i sits at input position t = i·Q/P = base + p/P: phase p's taps run over k = base + j.
  const first = new Int32Array(P);
  const weights: Float64Array[] = [];
  for (let p = 0; p < P; p++) {
    const frac = p / P;
    const lo = Math.ceil(frac - half), hi = Math.floor(frac + half);
    first[p] = lo;
    weights.push(Float64Array.from({ length: hi - lo + 1 }, (_, j) => tap(frac - (lo + j), cutoff, half)));
  }
  for (let i = 0; i < n; i++) {
    const base = Math.floor((i * Q) / P), p = (i * Q) % P;
    const w = weights[p], start = base + first[p];
    const lo = Math.max(0, -start), hi = Math.min(w.length - 1, x.length - 1 - start);
    let acc = 0;
    for (let j = lo; j <= hi; j++) acc += x[start + j] * w[j];
    y[i] = acc;
  }
  return y;
}
