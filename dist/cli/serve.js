/** `wgnn serve RUN_DIR`: the digit page and its API on the engine, until Ctrl-C. */
import { selectBackend } from "../backends/select.js";
import { loadModel } from "../io/run-dir.js";
import { startServer } from "../serve/server.js";
import { setBackend } from "../tensor/context.js";
export async function serveRun(dir, o) {
    const { backend, reason } = await selectBackend(o.backend);
    setBackend(backend);
    let running;
    try {
        const { model, config } = loadModel(dir);
        running = await startServer({ model, config, backend: backend.description, host: o.host, port: o.port, maxBytes: o.maxBytes });
    }
    catch (e) {
        backend.dispose();
        const code = e.code;
        if (code === 'EADDRINUSE')
            throw new Error(`port ${o.port} on ${o.host} is in use: pick another with --port (0: any free port)`);
        if (code === 'EADDRNOTAVAIL')
            throw new Error(`cannot bind ${o.host}: not an address of this machine`);
        throw e;
    }
    console.log(`Backend: ${reason}`);
    if (o.host !== '127.0.0.1' && o.host !== 'localhost' && o.host !== '::1') {
        console.log(`Note: listening on ${o.host}, reachable from other machines; there is no authentication.`);
    }
    console.log(`Serving ${dir} at ${running.url} (Ctrl-C stops)`);
    const stop = () => {
        void running.close().then(() => backend.dispose());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return running;
}
