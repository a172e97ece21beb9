/** `wgnn serve RUN_DIR`: the digit page and its API on the engine, until Ctrl-C. */
import { type BackendName } from '../backends/select.ts';
import { type RunningServer } from '../serve/server.ts';
export interface ServeCliOptions {
    port: number;
    host: string;
    backend: BackendName;
    maxBytes?: number;
}
export declare function serveRun(dir: string, o: ServeCliOptions): Promise<RunningServer>;
