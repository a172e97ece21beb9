/**
 * Band-limited resampling by a Hann-windowed sinc: the cut-off sits at the lower of the two
 * Nyquist frequencies, so downsampling to 8 kHz does not fold 4–24 kHz back into the speech band.
 */

/** zero crossings of the sinc kept on each side */
const ZEROS = 12;

export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  const ratio = to / from;
  const cutoff = Math.min(1, ratio);
  const half = ZEROS / cutoff;
  const n = Math.max(1, Math.round(x.length * ratio));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / ratio;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(x.length - 1, Math.floor(t + half));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const d = (t - k) * cutoff;
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * (t - k)) / half);
      acc += x[k] * sinc * window;
    }
    y[i] = acc * cutoff;
  }
  return y;
}
