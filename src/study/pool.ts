/**
 * Runs jobs in this process (one worker) or in N child processes, each with its own backend:
 * a backend is process-wide state, and on the CPU processes are what run variants side by side.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { setBackend } from '../tensor/context.ts';
import { runJob, type Job, type JobProgress, type JobResult } from './run.ts';
import { closeStores, runTrial, type TrialEvent, type TrialJob, type TrialResult } from './trial.ts';
import type { TrialRunner } from './tune.ts';

export interface JobPool {
  /** one line saying where jobs run */
  readonly description: string;
  /** `report` hears where the job is, a few times a second */
  run(job: Job, report?: (p: JobProgress) => void): Promise<JobResult>;
  /** a tuning trial; `report` hears its steps, epochs and notes, with the worker that runs it */
  trial(job: TrialJob, report?: (e: TrialEvent, worker: string) => void): Promise<TrialResult>;
  close(): Promise<void>;
}

/** Messages between the pool and ./worker.ts. */
export type ToWorker = { type: 'job'; id: number; job: Job } | { type: 'trial'; id: number; job: TrialJob };
export type FromWorker =
  | { type: 'ready'; description: string }
  | { type: 'progress'; id: number; progress: JobProgress }
  | { type: 'event'; id: number; event: TrialEvent }
  | { type: 'done'; id: number; result: JobResult | TrialResult }
  | { type: 'failed'; id: number; error: string }
  | { type: 'fatal'; error: string };

class InProcessPool implements JobPool {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(readonly description: string, private readonly dispose: () => void) {}
  run(job: Job, report?: (p: JobProgress) => void): Promise<JobResult> {
    // One backend: jobs take turns.
    const next = this.queue.then(() => runJob(job, report));
    this.queue = next.catch(() => undefined);
    return next;
  }
  trial(job: TrialJob, report?: (e: TrialEvent, worker: string) => void): Promise<TrialResult> {
    const next = this.queue.then(() => runTrial(job, (e) => report?.(e, 'main')));
    this.queue = next.catch(() => undefined);
    return next;
  }
  async close(): Promise<void> {
    await this.queue;
    await closeStores();
    this.dispose();
  }
}

interface Worker {
  child: ChildProcess;
  name: string;
}

class ProcessPool implements JobPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly pending = new Map<number, { resolve: (r: JobResult | TrialResult) => void; reject: (e: Error) => void; report?: (p: JobProgress) => void; event?: (e: TrialEvent, worker: string) => void }>();
  private nextId = 0;
  constructor(readonly description: string, readonly workers: Worker[]) {
    this.idle.push(...workers);
    for (const w of workers) {
      w.child.on('message', (m: FromWorker) => {
        if (m.type === 'progress') return void this.pending.get(m.id)?.report?.(m.progress);
        if (m.type === 'event') return void this.pending.get(m.id)?.event?.(m.event, w.name);
        if (m.type !== 'done' && m.type !== 'failed') return;
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.type === 'done') p?.resolve(m.result);
        else p?.reject(new Error(m.error));
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
  private readonly owner = new Map<number, Worker>();
  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }
  private acquire(): Promise<Worker> {
    const w = this.idle.shift();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
  }
  async run(job: Job, report?: (p: JobProgress) => void): Promise<JobResult> {
    return (await this.send({ type: 'job', id: 0, job }, { report })) as JobResult;
  }
  async trial(job: TrialJob, report?: (e: TrialEvent, worker: string) => void): Promise<TrialResult> {
    return (await this.send({ type: 'trial', id: 0, job }, { event: report })) as TrialResult;
  }
  private async send(m: ToWorker, listeners: { report?: (p: JobProgress) => void; event?: (e: TrialEvent, worker: string) => void }): Promise<JobResult | TrialResult> {
    const w = await this.acquire();
    const id = this.nextId++;
    this.owner.set(id, w);
    return new Promise<JobResult | TrialResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...listeners });
      w.child.send({ ...m, id } satisfies ToWorker);
    });
  }
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.child.disconnect();
          }),
      ),
    );
  }
}

function startWorker(backend: BackendName, name: string): Promise<{ worker: Worker; description: string }> {
  // From the sources (tests, `npm run dev`) the worker is TypeScript and runs through tsx, a dev
  // dependency; from the built package it is dist/study/worker.js and plain Node runs it.
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url));
  const execArgv = fromSources ? ['--import', 'tsx'] : [];
  const child = fork(entry, [backend], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: FromWorker) => {
      if (m.type === 'ready') resolve({ worker: { child, name }, description: m.description });
      else reject(new Error(`worker: ${m.type === 'fatal' ? m.error : 'unexpected message'}`));
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with code ${code} before it was ready`)));
  });
}

export async function createPool(backend: BackendName, workers: number): Promise<JobPool> {
  if (workers <= 1) {
    const { backend: b, reason } = await selectBackend(backend);
    setBackend(b);
    return new InProcessPool(reason, () => b.dispose());
  }
  const started = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(backend, `p${i + 1}`)));
  return new ProcessPool(`${workers} worker processes, each on ${started[0].description}`, started.map((s) => s.worker));
}

/** Trials on a pool: checkpoints and models in a directory beside trials.json (`out`/trials). */
export function poolRunner(pool: JobPool, workers: number): TrialRunner {
  return { description: pool.description, capacity: workers, storeRef: (_search, out) => ({ kind: 'dir', root: `${out}/trials` }), run: (job, report) => pool.trial(job, report) };
}
