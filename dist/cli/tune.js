import { createPool } from "../study/pool.js";
import { BEST_FILE, defaultSpace, tune, TRIALS_FILE } from "../study/tune.js";
export async function tuneCommand(o) {
    const pool = await createPool(o.backend, o.workers);
    const abort = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
        if (++interrupts > 1)
            process.exit(130);
        console.log('\nInterrupted: finishing the running trials, starting no new one (Ctrl-C again to quit at once)');
        abort.abort();
    };
    process.on('SIGINT', onSigint);
    try {
        const r = await tune({ ...o, space: defaultSpace, pool, signal: abort.signal });
        const wall = r.wallSeconds >= 3600 ? `${Math.floor(r.wallSeconds / 3600)} h ${Math.round((r.wallSeconds % 3600) / 60)} min` : `${r.wallSeconds.toFixed(1)} s`;
        if (r.interrupted) {
            console.log(`Stopped after ${r.trials.length} trials (${r.ran} in this run, ${wall}); they are kept in ${o.out}/${TRIALS_FILE}: run the same command again to resume`);
            process.exitCode = 130;
            return;
        }
        console.log(`Best: ${r.best.id}, val_accuracy ${(r.best.valAccuracy * 100).toFixed(2)}% (${JSON.stringify(r.best.config)}); search wall time ${wall}, ${r.ran} trials trained in this run`);
        console.log(`Saved ${o.out}/${BEST_FILE} (train it: npx wgnn train --config ${o.out}/${BEST_FILE}), ${TRIALS_FILE} and report.md`);
    }
    finally {
        process.off('SIGINT', onSigint);
        await pool.close();
    }
}
