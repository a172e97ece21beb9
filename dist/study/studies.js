export const studyNames = ['dropout', 'l2', 'optimizer', 'batch-size', 'activation', 'epochs', 'early-stopping', 'regularization'];
const fixed = (label, job) => ({ label, job });
export const studies = {
    dropout: {
        title: 'Dropout rate',
        epochs: 10,
        model: 'mlp',
        variants: [0, 0.1, 0.25, 0.3, 0.5].map((r) => fixed(`dropout ${r}`, { dropout: r })),
    },
    l2: {
        title: 'L2 weight penalty',
        epochs: 10,
        model: 'mlp',
        variants: [0, 1e-4, 1e-3, 1e-2].map((l2) => fixed(`l2 ${l2}`, { l2 })),
    },
    optimizer: {
        title: 'Optimizer',
        epochs: 10,
        model: 'mlp',
        variants: ['sgd', 'momentum', 'adam', 'adamw'].map((o) => fixed(o === 'momentum' ? 'sgd+momentum' : o, { optimizer: o })),
    },
    'batch-size': {
        title: 'Batch size',
        epochs: 5,
        model: 'mlp',
        variants: [8, 32, 64, 128].map((b) => fixed(`batch ${b}`, { batchSize: b, stepLoss: true })),
    },
    activation: {
        title: 'Hidden activation',
        epochs: 10,
        model: 'mlp',
        variants: ['relu', 'tanh', 'softsign', 'gelu'].map((a) => fixed(a, { activation: a, gradNorms: true })),
    },
    epochs: {
        title: 'Training length',
        epochs: 30,
        model: 'mlp',
        variants: [fixed('long run', {})],
    },
    'early-stopping': {
        title: 'Early stopping patience',
        epochs: 30,
        model: 'mlp',
        variants: [fixed('no early stopping', {}), ...[1, 2, 3, 5].map((p) => fixed(`patience ${p}`, { patience: p }))],
    },
    regularization: {
        title: 'Regularization of the three-dense-layer MLP',
        epochs: 20,
        model: 'mlp3',
        batchSize: 128,
        validationSplit: 0.3,
        variants: [fixed('none', {}), fixed('l2', { l2: 1e-3 }), fixed('dropout', { dropout: 0.3 }), fixed('l2+dropout', { l2: 1e-3, dropout: 0.3 })],
    },
};
/** Every job of a study: variants × seeds, in the order they are reported. */
export function studyJobs(name, o) {
    const s = studies[name];
    const model = o.model ?? s.model;
    const jobs = [];
    for (const v of s.variants) {
        const { dropout, activation, ...rest } = v.job;
        for (let seed = 0; seed < o.seeds; seed++) {
            jobs.push({
                label: v.label,
                seed,
                model: { kind: model, dropout, activation },
                optimizer: 'adam',
                batchSize: s.batchSize ?? (model === 'cnn' ? 64 : 32),
                epochs: o.epochs ?? s.epochs,
                validationSplit: s.validationSplit ?? 0.1,
                limit: o.limit,
                data: o.data,
                ...rest,
            });
        }
    }
    return jobs;
}
export function summarize(r) {
    const h = r.history;
    const val = (e) => e.val_accuracy ?? Number.NaN;
    let best = 0;
    let minLoss = 0;
    for (let i = 1; i < h.length; i++) {
        if (val(h[i]) > val(h[best]))
            best = i;
        if ((h[i].val_loss ?? Infinity) < (h[minLoss].val_loss ?? Infinity))
            minLoss = i;
    }
    const last = h.at(-1);
    const s = {
        bestValAccuracy: val(h[best]),
        bestEpoch: h[best].epoch,
        finalGap: last.accuracy - val(last),
        minValLossEpoch: h[minLoss].epoch,
        epochsRun: h.length,
        wallSeconds: r.wallSeconds,
        weightL2: r.weightL2,
    };
    if (r.stepLosses && r.stepLosses.length > 2) {
        const d = r.stepLosses.slice(1).map((v, i) => v - r.stepLosses[i]);
        s.lossNoise = std(d) / Math.SQRT2;
    }
    if (r.stoppedEpoch !== undefined) {
        s.stoppedEpoch = r.stoppedEpoch;
        s.restoredEpoch = r.bestEpoch;
    }
    return s;
}
export function mean(xs) {
    return xs.reduce((a, b) => a + b, 0) / xs.length;
}
/** Sample standard deviation (n − 1); 0 for a single value. */
export function std(xs) {
    if (xs.length < 2)
        return 0;
    const m = mean(xs);
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}
export function summarizeVariants(results) {
    const labels = [...new Set(results.map((r) => r.label))];
    return labels.map((label) => {
        const mine = results.filter((r) => r.label === label);
        const runs = mine.map(summarize);
        const stats = {};
        for (const k of Object.keys(runs[0])) {
            const xs = runs.map((r) => r[k]).filter((v) => typeof v === 'number');
            if (xs.length === runs.length)
                stats[k] = { mean: mean(xs), std: std(xs) };
        }
        const v = { label, runs, stats, curves: meanCurves(mine.map((r) => r.history)) };
        if (mine[0].gradNorms) {
            v.gradNorms = Object.fromEntries(Object.keys(mine[0].gradNorms).map((k) => [k, mean(mine.map((r) => r.gradNorms[k]))]));
        }
        return v;
    });
}
/** Epoch-wise means over runs, for the epochs every run reached. */
function meanCurves(histories) {
    const n = Math.min(...histories.map((h) => h.length));
    const fields = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds', 'msPerStep'];
    return Array.from({ length: n }, (_, i) => {
        const e = { epoch: i + 1, loss: 0, accuracy: 0, lr: 0, seconds: 0, msPerStep: 0 };
        for (const f of fields) {
            const xs = histories.map((h) => h[i][f]).filter((v) => v !== undefined);
            if (xs.length)
                e[f] = mean(xs);
        }
        return e;
    });
}
