/** `wgnn serve RUN_DIR`: the digit page and its API on the engine, until Ctrl-C. */
import { selectBackend, type BackendName } from '../backends/select.ts';
import { loadModel } from '../io/run-dir.ts';
import { startServer, type RunningServer } from '../serve/server.ts';
import { setBackend } from '../tensor/context.ts';
import { resolveRunDir } from './runs.ts';

export interface ServeCliOptions {
  port: number;
  host: string;
  backend: BackendName;
  maxBytes?: number;
  /** Host header names accepted besides localhost, IP addresses and --host */
  allowHost?: string[];
}

export async function serveRun(dir: string, o: ServeCliOptions): Promise<RunningServer> {
  dir = resolveRunDir(dir);
  const { backend, reason } = await selectBackend(o.backend);
  setBackend(backend);
  let running: RunningServer;
  try {
    const { model, config } = loadModel(dir);
    running = await startServer({ model, config, backend: backend.description, host: o.host, port: o.port, maxBytes: o.maxBytes, allowedHosts: o.allowHost });
  } catch (e) {
    backend.dispose();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${o.port} on ${o.host} is in use: pick another with --port (0: any free port)`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot bind ${o.host}: not an address of this machine`);
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
