/** A worker process of ./pool.ts: selects its own backend, then trains the jobs it is sent. */
import { selectBackend, type BackendName } from '../backends/select.ts';
import { setBackend } from '../tensor/context.ts';
import type { FromWorker, ToWorker } from './pool.ts';
import { runJob } from './run.ts';
import { closeStores, runTrial } from './trial.ts';

const send = (m: FromWorker) => process.send!(m);

try {
  const { backend, reason } = await selectBackend((process.argv[2] ?? 'auto') as BackendName);
  setBackend(backend);
  // Jobs run one at a time: the backend is this process's only device.
  let queue = Promise.resolve();
  process.on('message', (m: ToWorker) => {
    queue = queue.then(async () => {
      try {
        const result = m.type === 'trial'
          ? await runTrial(m.job, (event) => send({ type: 'event', id: m.id, event }))
          : await runJob(m.job, (progress) => send({ type: 'progress', id: m.id, progress }));
        send({ type: 'done', id: m.id, result });
      } catch (e) {
        send({ type: 'failed', id: m.id, error: (e as Error).message });
      }
    });
  });
  process.on('disconnect', () => void queue.then(async () => {
    await closeStores();
    backend.dispose();
    process.exit(0);
  }));
  send({ type: 'ready', description: reason });
} catch (e) {
  send({ type: 'fatal', error: (e as Error).message });
  process.exit(1);
}
