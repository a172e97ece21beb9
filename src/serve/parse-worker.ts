/**
 * Request bodies parsed on a worker thread, one at a time: the event loop stays free to answer
 * other requests (GET /api/model keeps its latency while a photo decodes), and one decode at a
 * time bounds the memory that decoding takes. Bodies waiting their turn are bounded too: past
 * `maxQueuedBytes` a request gets 503 instead of a place in the queue.
 */
import { Worker } from 'node:worker_threads';
import type { InputSpec } from '../image/model-input.ts';
import { HttpError, type ModelInput } from './input.ts';
import type { ParseReply } from './parse-job.ts';

export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

interface Waiting {
  bytes: number;
  resolve: (input: ModelInput) => void;
  reject: (e: Error) => void;
}

export class ParseWorker {
  #worker: Worker | null = null;
  readonly #waiting = new Map<number, Waiting>();
  #next = 0;
  #queuedBytes = 0;

  constructor(private readonly spec: InputSpec, private readonly maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES) {}

  /** The model's input from a body of `contentType`; rejects with HttpError as parseInput does. */
  parse(contentType: string, body: Buffer): Promise<ModelInput> {
    if (this.#queuedBytes + body.length > this.maxQueuedBytes && this.#waiting.size > 0) {
      return Promise.reject(new HttpError(503, 'the server is busy decoding other images; try again shortly'));
    }
    const id = this.#next++;
    // A copy the worker may own: the body may be a slice of a pooled buffer.
    const bytes = new Uint8Array(body);
    this.#queuedBytes += bytes.length;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { bytes: bytes.length, resolve, reject });
      this.#start().postMessage({ id, contentType, body: bytes, spec: this.spec }, [bytes.buffer]);
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./parse-entry.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (reply: ParseReply) => {
      const w = this.#settle(reply.id);
      if (!w) return;
      if ('pixels' in reply) w.resolve({ pixels: reply.pixels, inverted: reply.inverted });
      else w.reject(new HttpError(reply.status, reply.message));
    });
    const fail = (e: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const id of [...this.#waiting.keys()]) this.#settle(id)!.reject(new Error(`the image decoder stopped (${e.message})`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #settle(id: number): Waiting | undefined {
    const w = this.#waiting.get(id);
    if (!w) return undefined;
    this.#waiting.delete(id);
    this.#queuedBytes -= w.bytes;
    return w;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}
