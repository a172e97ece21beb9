/** A worker process of ./pool.ts: selects its own backend, then trains the jobs it is sent. */
import { selectBackend } from "../backends/select.js";
import { setBackend } from "../tensor/context.js";
import { runJob } from "./run.js";
const send = (m) => process.send(m);
try {
    const { backend, reason } = await selectBackend((process.argv[2] ?? 'auto'));
    setBackend(backend);
    // Jobs run one at a time: the backend is this process's only device.
    let queue = Promise.resolve();
    process.on('message', (m) => {
        queue = queue.then(async () => {
            try {
                send({ type: 'done', id: m.id, result: await runJob(m.job) });
            }
            catch (e) {
                send({ type: 'failed', id: m.id, error: e.message });
            }
        });
    });
    process.on('disconnect', () => void queue.then(() => {
        backend.dispose();
        process.exit(0);
    }));
    send({ type: 'ready', description: reason });
}
catch (e) {
    send({ type: 'fatal', error: e.message });
    process.exit(1);
}
