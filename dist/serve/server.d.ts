import { type Server } from 'node:http';
import type { Sequential } from '../layers/sequential.ts';
import type { RunConfig } from '../io/run-dir.ts';
import { InferenceQueue } from './inference.ts';
export interface ServeOptions {
    model: Sequential;
    config: RunConfig;
    /** what runs the model, for GET /api/model */
    backend: string;
    host?: string;
    /** 0: any free port */
    port?: number;
    /** largest request body accepted, in bytes */
    maxBytes?: number;
}
export interface RunningServer {
    server: Server;
    url: string;
    queue: InferenceQueue;
    close(): Promise<void>;
}
export declare const DEFAULT_MAX_BYTES: number;
/** What GET /api/model answers. */
export type ModelInfo = ReturnType<typeof modelInfo>;
declare function modelInfo(o: ServeOptions, queue: InferenceQueue): {
    preset: string | null;
    inputShape: import("../core.ts").Shape;
    layers: import("../layers/sequential.ts").SummaryRow[];
    params: {
        total: number;
        trainable: number;
        nonTrainable: number;
    };
    test: {
        loss: number;
        accuracy: number;
    } | null;
    backend: string;
    served: {
        batches: number;
        images: number;
    };
};
export declare function startServer(o: ServeOptions): Promise<RunningServer>;
export {};
