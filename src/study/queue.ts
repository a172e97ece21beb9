/**
 * Trials on a BullMQ queue over Redis: the coordinator (`wgnn tune --queue`) adds one job per
 * trial, with an id made of the search's id and the trial's, so a restarted coordinator finds the
 * jobs it queued (and their results, which BullMQ keeps in Redis) instead of adding them twice.
 * Workers (`wgnn worker --queue`) take jobs one at a time and report steps, epochs and notes
 * through job progress, which the coordinator hears through QueueEvents. A worker that dies stops
 * renewing its job's lock; BullMQ's stalled-job check on the other workers moves the job back to
 * the queue, and the next worker resumes it from its last epoch checkpoint (./store.ts).
 */
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { bullConnection, openRedis } from './redis.ts';
import { mnistFor } from './run.ts';
import type { StoreRef } from './store.ts';
import type { TrialRunner } from './tune.ts';
import { closeStores, runTrial, WGNN_VERSION, type TrialEvent, type TrialJob, type TrialResult } from './trial.ts';

export const QUEUE_NAME = 'wgnn-trials';
/** Set by a coordinator: a worker of another version refuses to start. */
const VERSION_KEY = 'wgnn:version';

interface ProgressMessage {
  worker: string;
  event: TrialEvent;
}

export interface QueueRunner extends TrialRunner {
  close(): Promise<void>;
}

export async function queueRunner(url: string): Promise<QueueRunner> {
  const redis = await openRedis(url);
  await redis.set(VERSION_KEY, WGNN_VERSION);
  const connection = bullConnection(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const listeners = new Map<string, (e: TrialEvent, worker: string) => void>();
  events.on('progress', ({ jobId, data }) => {
    const m = data as unknown as ProgressMessage;
    if (m && typeof m === 'object' && 'event' in m) listeners.get(jobId)?.(m.event, m.worker);
  });
  return {
    description: `the BullMQ queue "${QUEUE_NAME}" at ${url}`,
    capacity: Number.POSITIVE_INFINITY,
    storeRef: (search: string): StoreRef => ({ kind: 'redis', url, prefix: `wgnn:tune:${search}` }),
    async run(job: TrialJob, report?: (e: TrialEvent, worker: string) => void): Promise<TrialResult> {
      const jobId = `${job.search}-${job.id}`;
      if (report) listeners.set(jobId, report);
      try {
        let j = (await Job.fromId(queue, jobId)) as Job<TrialJob, TrialResult> | undefined;
        // A trial that failed before (a worker error) is tried again when the search is run again.
        if (j && (await j.getState()) === 'failed') await j.retry('failed');
        j ??= await queue.add('trial', job, { jobId, attempts: 1 });
        try {
          return await j.waitUntilFinished(events);
        } catch (e) {
          throw new Error(`trial ${job.id} failed on a worker: ${(e as Error).message}`);
        }
      } finally {
        listeners.delete(jobId);
      }
    },
    async close() {
      await events.close();
      await queue.close();
      await redis.quit();
    },
  };
}

export interface WorkerOptions {
  url: string;
  name: string;
  /** how long a job stays locked without renewal: a dead worker's trial moves on after about this */
  lockSeconds: number;
  log: (line: string) => void;
}

/** Redis answers and its coordinator runs this wgnn version; otherwise one line says which is wrong. */
export async function checkQueue(url: string): Promise<void> {
  const redis = await openRedis(url);
  const theirs = await redis.get(VERSION_KEY);
  await redis.quit();
  if (theirs && theirs !== WGNN_VERSION) throw new Error(`the queue at ${url} is driven by wgnn ${theirs}; this worker is wgnn ${WGNN_VERSION}: run the same version everywhere`);
}

/** Takes trials from the queue until SIGINT or SIGTERM; the backend is already selected. */
export async function runQueueWorker(o: WorkerOptions): Promise<void> {
  await checkQueue(o.url);
  // Decoding MNIST blocks this thread for seconds: done before any job is locked, not inside one.
  mnistFor();
  const lockDuration = Math.round(o.lockSeconds * 1000);
  const worker = new Worker<TrialJob, TrialResult>(
    QUEUE_NAME,
    async (job) => {
      const t = job.data;
      if (t.version !== WGNN_VERSION) {
        // Exiting leaves the job locked until it stalls back to the queue for a worker of its version.
        console.error(`wgnn worker ${o.name}: trial ${t.id} was queued by wgnn ${t.version}, this worker is wgnn ${WGNN_VERSION}: run the same version everywhere`);
        process.exit(1);
      }
      o.log(`${o.name}: trial ${t.id} of search ${t.search} started`);
      const result = await runTrial(t, (event) => void job.updateProgress({ worker: o.name, event } satisfies ProgressMessage as unknown as object).catch(() => undefined));
      o.log(`${o.name}: trial ${t.id} done: val_accuracy ${(result.history.at(-1)?.val_accuracy ?? 0).toFixed(4)} after ${result.history.length} epochs`);
      return result;
    },
    { connection: bullConnection(o.url), concurrency: 1, lockDuration, stalledInterval: Math.max(500, Math.round(lockDuration / 2)), maxStalledCount: 10 },
  );
  worker.on('error', (e) => o.log(`${o.name}: ${e.message}`));
  await worker.waitUntilReady();
  o.log(`${o.name}: waiting for trials on the BullMQ queue "${QUEUE_NAME}" at ${o.url} (wgnn ${WGNN_VERSION})`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      o.log(`${o.name}: stopping after the running trial (a second signal quits at once)`);
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
  await closeStores();
}
