import { createPool } from "../study/pool.js";
import { writeStudy } from "../study/report.js";
import { studyJobs, summarizeVariants } from "../study/studies.js";
export async function runStudy(name, o) {
    const say = o.log ?? ((line) => console.log(line));
    const jobs = studyJobs(name, o);
    const pool = await createPool(o.backend, o.workers);
    const started = performance.now();
    try {
        say(`Study ${name}: ${jobs.length} runs (${new Set(jobs.map((j) => j.label)).size} variants × ${o.seeds} seeds) on ${pool.description}`);
        let done = 0;
        const results = await Promise.all(jobs.map(async (job) => {
            const r = await pool.run(job);
            const best = Math.max(...r.history.map((h) => h.val_accuracy ?? 0));
            say(`  [${++done}/${jobs.length}] ${job.label} seed ${job.seed}: ${r.history.length} epochs, best val accuracy ${best.toFixed(4)}, ${r.wallSeconds.toFixed(1)} s`);
            return r;
        }));
        const wallSeconds = (performance.now() - started) / 1000;
        const j = jobs[0];
        const settings = { model: j.model.kind, epochs: j.epochs, batchSize: name === 'batch-size' ? undefined : j.batchSize, validationSplit: j.validationSplit, optimizer: name === 'optimizer' ? undefined : j.optimizer, limit: o.limit };
        const report = await writeStudy(o.out, { name, seeds: o.seeds, backend: pool.description, settings, wallSeconds }, results, summarizeVariants(results));
        say(`Wrote ${o.out}/: report.md, results.csv, summary.json, loss/accuracy .png and .svg (${wallSeconds.toFixed(1)} s)`);
        return { report, dir: o.out };
    }
    finally {
        await pool.close();
    }
}
