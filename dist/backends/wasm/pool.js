/**
 * All cores on one kernel: worker threads that share the memory and each hold an instance of
 * the kernels. A dispatch is synchronous: the main thread posts a job cut into chunks, wakes the
 * workers with Atomics.notify, claims chunks itself, and waits with Atomics.wait until every chunk
 * is done. Chunks are claimed dynamically, so a worker the OS has not scheduled yet (a busy
 * machine) delays nothing: the main thread takes its chunks.
 *
 * Claiming: the Claim word holds (job generation << 16) | next chunk index. A thread claims by
 * compare-and-swap only while the generation is its job's and chunks remain, so a worker that
 * wakes late can never take a chunk of a job whose parameters it did not read. Before rewriting
 * the parameters of a new job the main thread parks Claim at an exhausted value.
 */
import { Worker } from 'node:worker_threads';
import { workerSource } from "./worker-source.js";
/** Control words; the chunk ranges ([lo, hi) pairs) follow from `Ranges`. */
const Ctl = { Gen: 0, Fn: 1, Params: 2, Claim: 3, Chunks: 4, Done: 5, Scratch: 6, Stride: 7, Quit: 8, Failed: 9, Ranges: 16 };
export const MAX_CHUNKS = 1024;
const EXHAUSTED = 0xffff;
/** Atomics.load polls before a worker sleeps: about 50 µs, the gap between small kernels. */
const WORKER_SPIN = 20000;
const MAIN_SPIN = 200000;
export class ThreadPool {
    threads;
    #ctl;
    #workers = [];
    #fns;
    #index = new Map();
    #scratch;
    #gen = 0;
    constructor(module, memory, exports, names, threads, scratch, stride) {
        this.threads = threads;
        this.#scratch = scratch;
        this.#ctl = new Int32Array(new SharedArrayBuffer(4 * (Ctl.Ranges + 2 * MAX_CHUNKS)));
        this.#ctl[Ctl.Failed] = -1;
        this.#ctl[Ctl.Scratch] = scratch;
        this.#ctl[Ctl.Stride] = stride;
        this.#ctl[Ctl.Claim] = EXHAUSTED;
        this.#fns = names.map((n, i) => {
            this.#index.set(n, i);
            return exports[n];
        });
        for (let tid = 1; tid < threads; tid++) {
            const worker = new Worker(workerSource, {
                eval: true,
                // The source is CommonJS: a parent started with --input-type=module would make it ESM.
                execArgv: withoutInputType(process.execArgv),
                workerData: { module, memory, control: this.#ctl.buffer, tid, names, spin: WORKER_SPIN, layout: Ctl },
            });
            // A worker asleep in Atomics.wait must not keep the process alive.
            worker.unref();
            this.#workers.push(worker);
        }
    }
    /** Runs export `name` over the chunks `ranges` ([lo, hi) pairs), on every thread. */
    run(name, params, ranges) {
        const fn = this.#index.get(name);
        if (fn === undefined)
            throw new Error(`wasm backend: no kernel export '${name}'`);
        const chunks = ranges.length / 2;
        if (chunks === 1 || this.threads === 1) {
            for (let c = 0; c < chunks; c++)
                this.#fns[fn](params, ranges[2 * c], ranges[2 * c + 1], this.#scratch, 0);
            return;
        }
        if (chunks > MAX_CHUNKS)
            throw new Error(`wasm backend: ${chunks} chunks, at most ${MAX_CHUNKS}`);
        const ctl = this.#ctl;
        Atomics.store(ctl, Ctl.Claim, (this.#gen << 16) | EXHAUSTED);
        const gen = (this.#gen = (this.#gen + 1) & 0xffff);
        ctl.set(ranges, Ctl.Ranges);
        ctl[Ctl.Fn] = fn;
        ctl[Ctl.Params] = params;
        ctl[Ctl.Chunks] = chunks;
        Atomics.store(ctl, Ctl.Done, 0);
        Atomics.store(ctl, Ctl.Claim, gen << 16);
        Atomics.store(ctl, Ctl.Gen, gen);
        Atomics.notify(ctl, Ctl.Gen);
        let error = null;
        for (;;) {
            const c = Atomics.load(ctl, Ctl.Claim);
            if ((c & 0xffff) >= chunks)
                break;
            if (Atomics.compareExchange(ctl, Ctl.Claim, c, c + 1) !== c)
                continue;
            const at = Ctl.Ranges + 2 * (c & 0xffff);
            try {
                if (error === null)
                    this.#fns[fn](params, ctl[at], ctl[at + 1], this.#scratch, 0);
            }
            catch (e) {
                error = e;
            }
            Atomics.add(ctl, Ctl.Done, 1);
        }
        let done = Atomics.load(ctl, Ctl.Done);
        for (let i = 0; done !== chunks && i < MAIN_SPIN; i++)
            done = Atomics.load(ctl, Ctl.Done);
        while (done !== chunks) {
            Atomics.wait(ctl, Ctl.Done, done);
            done = Atomics.load(ctl, Ctl.Done);
        }
        if (error !== null)
            throw error;
        const failed = ctl[Ctl.Failed];
        if (failed >= 0) {
            ctl[Ctl.Failed] = -1;
            throw new Error(`wasm backend: kernel '${name}' failed on worker ${failed} (its error is on stderr)`);
        }
    }
    dispose() {
        Atomics.store(this.#ctl, Ctl.Quit, 1);
        Atomics.store(this.#ctl, Ctl.Claim, (this.#gen << 16) | EXHAUSTED);
        Atomics.add(this.#ctl, Ctl.Gen, 1);
        Atomics.notify(this.#ctl, Ctl.Gen);
        for (const w of this.#workers)
            void w.terminate();
        this.#workers.length = 0;
    }
}
function withoutInputType(args) {
    const out = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '--input-type')
            i++;
        else if (!args[i].startsWith('--input-type='))
            out.push(args[i]);
    }
    return out;
}
