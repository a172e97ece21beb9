/**
 * Runs jobs in this process (one worker) or in N child processes, each with its own backend:
 * a backend is process-wide state, and on the CPU processes are what run variants side by side.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { selectBackend } from "../backends/select.js";
import { setBackend } from "../tensor/context.js";
import { runJob } from "./run.js";
class InProcessPool {
    description;
    dispose;
    queue = Promise.resolve();
    constructor(description, dispose) {
        this.description = description;
        this.dispose = dispose;
    }
    run(job) {
        // One backend: jobs take turns.
        const next = this.queue.then(() => runJob(job));
        this.queue = next.catch(() => undefined);
        return next;
    }
    async close() {
        await this.queue;
        this.dispose();
    }
}
class ProcessPool {
    description;
    workers;
    idle = [];
    waiting = [];
    pending = new Map();
    nextId = 0;
    constructor(description, workers) {
        this.description = description;
        this.workers = workers;
        this.idle.push(...workers);
        for (const w of workers) {
            w.child.on('message', (m) => {
                if (m.type !== 'done' && m.type !== 'failed')
                    return;
                const p = this.pending.get(m.id);
                this.pending.delete(m.id);
                if (m.type === 'done')
                    p?.resolve(m.result);
                else
                    p?.reject(new Error(m.error));
                this.release(w);
            });
            w.child.on('exit', (code) => {
                for (const [id, p] of this.pending) {
                    if (this.owner.get(id) === w) {
                        this.pending.delete(id);
                        p.reject(new Error(`a worker process exited (code ${code}) while training`));
                    }
                }
            });
        }
    }
    owner = new Map();
    release(w) {
        const next = this.waiting.shift();
        if (next)
            next(w);
        else
            this.idle.push(w);
    }
    acquire() {
        const w = this.idle.shift();
        return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
    }
    async run(job) {
        const w = await this.acquire();
        const id = this.nextId++;
        this.owner.set(id, w);
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject });
            w.child.send({ type: 'job', id, job });
        });
    }
    async close() {
        await Promise.all(this.workers.map((w) => new Promise((resolve) => {
            if (w.child.exitCode !== null)
                return resolve();
            w.child.once('exit', () => resolve());
            w.child.disconnect();
        })));
    }
}
function startWorker(backend) {
    // From the sources (tests, `npm run dev`) the worker is TypeScript and runs through tsx, a dev
    // dependency; from the built package it is dist/study/worker.js and plain Node runs it.
    const fromSources = import.meta.url.endsWith('.ts');
    const entry = fileURLToPath(new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url));
    const execArgv = fromSources ? ['--import', 'tsx'] : [];
    const child = fork(entry, [backend], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
        child.once('message', (m) => {
            if (m.type === 'ready')
                resolve({ worker: { child }, description: m.description });
            else
                reject(new Error(`worker: ${m.type === 'fatal' ? m.error : 'unexpected message'}`));
        });
        child.once('exit', (code) => reject(new Error(`worker process exited with code ${code} before it was ready`)));
    });
}
export async function createPool(backend, workers) {
    if (workers <= 1) {
        const { backend: b, reason } = await selectBackend(backend);
        setBackend(b);
        return new InProcessPool(reason, () => b.dispose());
    }
    const started = await Promise.all(Array.from({ length: workers }, () => startWorker(backend)));
    return new ProcessPool(`${workers} worker processes, each on ${started[0].description}`, started.map((s) => s.worker));
}
