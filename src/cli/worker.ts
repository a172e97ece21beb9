/** `wgnn worker`: trains the trials of `wgnn tune --queue` from a BullMQ queue until stopped. */
import { hostname } from 'node:os';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { checkQueue, runQueueWorker } from '../study/queue.ts';
import { setBackend } from '../tensor/context.ts';

export interface WorkerCliOptions {
  queue: string;
  name?: string;
  lockSeconds: number;
  backend: BackendName;
}

export async function workerCommand(o: WorkerCliOptions): Promise<void> {
  // Redis and the version first: a wrong URL should not wait for a backend to start.
  await checkQueue(o.queue);
  const { backend, reason } = await selectBackend(o.backend);
  setBackend(backend);
  const name = o.name ?? `${hostname()}:${process.pid}`;
  console.log(`${name}: backend ${reason}`);
  try {
    await runQueueWorker({ url: o.queue, name, lockSeconds: o.lockSeconds, log: (line) => console.log(line) });
  } finally {
    backend.dispose();
  }
}
