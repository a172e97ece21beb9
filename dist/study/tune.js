/**
 * A hyperparameter tuner over the seed CNN's shape, like Keras Tuner's RandomSearch and
 * Hyperband. Every finished trial is written to trials.json at once, and the search is a pure
 * function of its settings and of the finished trials' results, so an interrupted search run
 * again with the same settings skips what is done and continues where it stopped.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from "../io/atomic.js";
import { hash32, Rng } from "../kernels/random.js";
import { buildCnn, MODEL_FILE_FORMAT } from "./models.js";
export const strategies = ['random', 'hyperband'];
export const defaultSpace = {
    filters: [32, 256, 32],
    units: [64, 512, 64],
    dropout: [0, 0.5, 0.1],
    lr: [1e-4, 1e-2],
    optimizers: ['adam', 'adamw', 'momentum', 'sgd'],
};
/** The i-th configuration of a search: depends only on (seed, i), so a resumed search draws the same ones. */
export function sampleConfig(space, seed, i) {
    const rng = new Rng(hash32((seed ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0));
    const grid = ([min, max, step]) => {
        const n = Math.floor((max - min) / step + 1e-9) + 1;
        return Number((min + rng.int(n) * step).toFixed(6));
    };
    const filters1 = grid(space.filters);
    const filters2 = grid(space.filters);
    const units = grid(space.units);
    const dropout = grid(space.dropout);
    const [lo, hi] = space.lr;
    const lr = Number(Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo))).toPrecision(3));
    const optimizer = space.optimizers[rng.int(space.optimizers.length)];
    return { filters1, filters2, units, dropout, lr, optimizer };
}
export const TRIALS_FILE = 'trials.json';
export const BEST_FILE = 'best-model.json';
const ETA = 3;
/** Hyperband's brackets for `maxEpochs`, with the configuration counts scaled to `trials` in all. */
export function hyperbandBrackets(maxEpochs, trials) {
    const sMax = Math.floor(Math.log(maxEpochs) / Math.log(ETA) + 1e-9);
    const raw = Array.from({ length: sMax + 1 }, (_, k) => {
        const s = sMax - k;
        return { s, n: Math.ceil(((sMax + 1) / (s + 1)) * ETA ** s), r: maxEpochs / ETA ** s };
    });
    const total = raw.reduce((a, b) => a + b.n, 0);
    const scaled = raw.map((b) => ({ ...b, n: Math.max(1, Math.floor((b.n * trials) / total)) }));
    // What flooring left over goes to the most exploratory bracket; never more than `trials` in all.
    let left = trials - scaled.reduce((a, b) => a + b.n, 0);
    if (left > 0)
        scaled[0].n += left;
    for (let k = scaled.length - 1; left < 0 && k >= 0; k--) {
        const cut = Math.min(scaled[k].n, -left);
        scaled[k].n -= cut;
        left += cut;
    }
    return scaled.filter((b) => b.n > 0);
}
function planner(t) {
    if (t.strategy === 'random') {
        return {
            async search(run) {
                await Promise.all(Array.from({ length: t.trials }, (_, i) => run({ id: `t${i}`, config: sampleConfig(t.space, t.seed, i), epochs: t.maxEpochs })));
            },
        };
    }
    return {
        async search(run) {
            let offset = 0;
            const brackets = hyperbandBrackets(t.maxEpochs, t.trials).map((b) => {
                const first = offset;
                offset += b.n;
                return { ...b, first };
            });
            // Brackets are independent: they run side by side; rounds inside one wait for each other.
            await Promise.all(brackets.map(async (b) => {
                let alive = Array.from({ length: b.n }, (_, j) => b.first + j);
                for (let i = 0; i <= b.s && alive.length; i++) {
                    const epochs = i === b.s ? t.maxEpochs : Math.max(1, Math.round(b.r * ETA ** i));
                    const done = await Promise.all(alive.map((c) => run({ id: `b${b.s}-r${i}-c${c}`, config: sampleConfig(t.space, t.seed, c), epochs })));
                    if (done.some((d) => d === null))
                        return; // interrupted: promotions need every result
                    const keep = Math.floor(alive.length / ETA);
                    alive = alive
                        .map((c, k) => ({ c, acc: done[k].valAccuracy }))
                        .sort((x, y) => y.acc - x.acc || x.c - y.c)
                        .slice(0, keep)
                        .map((x) => x.c);
                }
            }));
        },
    };
}
const sameConfig = (a, b) => JSON.stringify(a) === JSON.stringify(b);
function loadTrials(path, settings) {
    if (!existsSync(path))
        return new Map();
    let f;
    try {
        f = JSON.parse(readFileSync(path, 'utf8'));
    }
    catch (e) {
        throw new Error(`${path}: not valid JSON (${e.message}); move it away to start a new search`);
    }
    if (f.format !== 'wgnn-trials' || !Array.isArray(f.trials))
        throw new Error(`${path}: not a wgnn trials file`);
    if (JSON.stringify(f.settings) !== JSON.stringify(settings)) {
        throw new Error(`${path}: holds a search with other settings (${JSON.stringify(f.settings)}); use another --out, or the same settings to resume it`);
    }
    return new Map(f.trials.map((t) => [t.id, t]));
}
const row = (cells, widths) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
const WIDTHS = [12, 8, 8, 6, 8, 9, 9, 7, 8, 8];
const HEADER = ['trial', 'filters1', 'filters2', 'units', 'dropout', 'lr', 'optimizer', 'epochs', 'val_acc', 'seconds'];
export async function tune(o) {
    const say = o.log ?? ((line) => console.log(line));
    mkdirSync(o.out, { recursive: true });
    const { data: _data, ...settings } = { strategy: o.strategy, trials: o.trials, maxEpochs: o.maxEpochs, seed: o.seed, batchSize: o.batchSize, validationSplit: o.validationSplit, limit: o.limit, data: o.data, space: o.space };
    const path = join(o.out, TRIALS_FILE);
    const stored = loadTrials(path, settings);
    const finished = new Map();
    const save = () => writeFileAtomic(path, JSON.stringify({ format: 'wgnn-trials', settings, trials: [...finished.values()] }, null, 1) + '\n');
    let best = null;
    let ran = 0;
    let interrupted = false;
    const started = performance.now();
    // A slot per worker: a trial is handed out only when one is free, so an abort stops new ones.
    let free = Math.max(1, o.workers);
    const waiting = [];
    const slot = async () => {
        if (free > 0)
            free--;
        else
            await new Promise((resolve) => waiting.push(resolve));
    };
    const release = () => (waiting.length ? waiting.shift()() : free++);
    const show = (t, from) => {
        const isBest = !best || t.valAccuracy > best.valAccuracy;
        if (isBest)
            best = t;
        const c = t.config;
        say(row([t.id, c.filters1, c.filters2, c.units, c.dropout, c.lr, c.optimizer, t.epochs, t.valAccuracy.toFixed(4), t.seconds.toFixed(1)], WIDTHS) + (isBest ? '  * best so far' : '') + from);
    };
    say(`Tuning cnn-search: ${o.strategy}, ${o.trials} configurations, up to ${o.maxEpochs} epochs each, on ${o.pool.description}${stored.size ? `; resuming: ${stored.size} trials already in ${path}` : ''}`);
    say(row(HEADER, WIDTHS));
    await planner(settings).search(async (r) => {
        const prior = stored.get(r.id);
        if (prior && sameConfig(prior.config, r.config) && prior.epochs === r.epochs) {
            finished.set(r.id, prior);
            show(prior, '  (from trials.json)');
            return prior;
        }
        await slot();
        try {
            if (o.signal?.aborted) {
                interrupted = true;
                return null;
            }
            const res = await o.pool.run({
                label: r.id, seed: o.seed, model: { kind: 'cnn-search', ...r.config }, optimizer: r.config.optimizer, lr: r.config.lr,
                batchSize: o.batchSize, epochs: r.epochs, validationSplit: o.validationSplit, limit: o.limit, data: o.data,
            });
            let bi = 0;
            res.history.forEach((h, i) => void ((h.val_accuracy ?? 0) > (res.history[bi].val_accuracy ?? 0) && (bi = i)));
            const h = res.history[bi];
            const t = { id: r.id, config: r.config, epochs: r.epochs, valAccuracy: h.val_accuracy ?? 0, valLoss: h.val_loss ?? Number.NaN, bestEpoch: h.epoch, seconds: res.wallSeconds };
            finished.set(r.id, t);
            ran++;
            save();
            show(t, '');
            return t;
        }
        finally {
            release();
        }
    });
    save();
    const trials = [...finished.values()];
    if (!best)
        throw new Error('no trial finished: nothing to report');
    const top = best;
    const wallSeconds = (performance.now() - started) / 1000;
    if (!interrupted) {
        const model = buildCnn(top.config);
        const file = {
            format: MODEL_FILE_FORMAT,
            source: `wgnn tune (${o.strategy}) trial ${top.id}: val_accuracy ${top.valAccuracy.toFixed(4)} at epoch ${top.bestEpoch}`,
            model: model.config(),
            training: { optimizer: top.config.optimizer, lr: top.config.lr, batchSize: o.batchSize, epochs: top.bestEpoch },
        };
        writeFileAtomic(join(o.out, BEST_FILE), JSON.stringify(file, null, 2) + '\n');
        const searchSeconds = trials.reduce((a, t) => a + t.seconds, 0);
        const lines = [
            `# Tuning cnn-search (${o.strategy})`,
            '',
            `${trials.length} trials; training time summed over trials ${searchSeconds.toFixed(1)} s; this call's wall time ${wallSeconds.toFixed(1)} s on ${o.pool.description}.`,
            '',
            `Best: trial ${top.id}, val_accuracy ${(top.valAccuracy * 100).toFixed(2)}% at epoch ${top.bestEpoch}: ${JSON.stringify(top.config)}. Saved as \`${BEST_FILE}\`: train it with \`npx wgnn train --config ${join(o.out, BEST_FILE)}\`.`,
            '',
            `| ${HEADER.join(' | ')} |`,
            `| ${HEADER.map(() => '---').join(' | ')} |`,
            ...[...trials].sort((a, b) => b.valAccuracy - a.valAccuracy).map((t) => `| ${t.id} | ${t.config.filters1} | ${t.config.filters2} | ${t.config.units} | ${t.config.dropout} | ${t.config.lr} | ${t.config.optimizer} | ${t.epochs} | ${t.valAccuracy.toFixed(4)} | ${t.seconds.toFixed(1)} |`),
            '',
        ];
        writeFileAtomic(join(o.out, 'report.md'), lines.join('\n'));
    }
    return { trials, best: top, ran, interrupted, wallSeconds };
}
