/**
 * Learning-rate schedules as pure functions of the global step, so that a resumed run sets the
 * same rate at every step as an uninterrupted one.
 */
export const scheduleNames = ['constant', 'step', 'cosine', 'one-cycle'];
/** Keras's CosineDecay (alpha 0) over the whole run. */
function cosine(base, t, total) {
    return 0.5 * base * (1 + Math.cos(Math.PI * Math.min(1, t / total)));
}
/**
 * PyTorch's OneCycleLR with its defaults: 30% of the steps rising from peak/25 to the peak, the
 * rest falling to peak/25/1e4, both on cosine curves.
 */
function oneCycle(peak, t, total) {
    const initial = peak / 25;
    const final = initial / 1e4;
    const rise = Math.max(1, Math.round(0.3 * total) - 1);
    const anneal = (from, to, frac) => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * Math.min(1, frac)));
    if (t <= rise)
        return anneal(initial, peak, t / rise);
    return anneal(peak, final, (t - rise) / Math.max(1, total - 1 - rise));
}
export function schedule(name, o) {
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
        default:
            throw new Error(`unknown learning-rate schedule "${name}": expected one of ${scheduleNames.join(', ')}`);
    }
}
