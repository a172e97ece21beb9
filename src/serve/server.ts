/**
 * `wgnn serve`: the digit page and its JSON API on Node's own `http` module. Three routes do not
 * need a framework, and none means nothing to keep patched. A bad request is answered with a
 * status and a message; nothing a client sends can take the server down.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Sequential } from '../layers/sequential.ts';
import type { RunConfig } from '../io/run-dir.ts';
import { encodeSafetensors } from '../io/safetensors-bytes.ts';
import { InferenceQueue } from './inference.ts';
import { acceptedTypes, checkType, HttpError } from './input.ts';
import { ParseWorker } from './parse-worker.ts';
import { inputSpecOf } from '../image/model-input.ts';
import { audioTypes, checkAudioType, isSpeechModel } from './speech.ts';

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
  /**
   * Host names accepted in the Host header besides localhost, IP addresses and the bound host:
   * a page on another site that rebinds its own name to 127.0.0.1 sends its own name, and is refused.
   */
  allowedHosts?: readonly string[];
}

export interface RunningServer {
  server: Server;
  url: string;
  queue: InferenceQueue;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const STATIC_DIR = new URL('./static/', import.meta.url);

/** The page's files, read once: they are small and never change while serving. */
function loadStatic(): Map<string, { body: Buffer; type: string }> {
  const pages = new Map(Object.entries(STATIC).map(([route, { file, type }]) => [route, { body: readFileSync(new URL(file, STATIC_DIR)), type }]));
  // The page's modules (app.js, pad.js, view.js, predictor.js, …): every .js file there but the
  // engine, which loadEngine serves.
  for (const file of readdirSync(STATIC_DIR).filter((f) => f.endsWith('.js') && f !== 'engine.js')) {
    pages.set(`/${file}`, { body: readFileSync(new URL(file, STATIC_DIR)), type: 'text/javascript; charset=utf-8' });
  }
  // The WASM kernels, which the page's engine runs when the browser has no WebGPU.
  for (const file of ['wgnn.wasm', 'wgnn-relaxed.wasm']) {
    const path = new URL(`../../build/${file}`, import.meta.url);
    if (existsSync(path)) pages.set(`/wasm/${file}`, { body: readFileSync(path), type: 'application/wasm' });
  }
  return pages;
}

/**
 * The page's engine (/engine.js): built by `npm run build` into dist/serve/static/engine.js; from
 * the sources it is bundled in memory (esbuild, a dev dependency), once per server.
 */
async function loadEngine(): Promise<Buffer> {
  const built = new URL('engine.js', STATIC_DIR);
  if (existsSync(built)) return readFileSync(built);
  const { bundlePage } = await import('./bundle.ts');
  return Buffer.from(await bundlePage());
}

/**
 * The class names the model's outputs stand for: the config's own (`classes`), or the output
 * indices ("0" … "9" for digits).
 */
export function classNames(config: RunConfig, model: Sequential): string[] {
  // The model's own (config.json's model.classNames, written by train from the data set) come first.
  if (model.classNames) return model.classNames;
  const named = (config as { classes?: unknown }).classes;
  if (Array.isArray(named) && named.every((c) => typeof c === 'string')) return named as string[];
  const out = model.outputShapes.at(-1) ?? [];
  return Array.from({ length: out.at(-1) ?? 0 }, (_, i) => String(i));
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  // 'wasm-unsafe-eval' lets the page compile the WASM kernels, and nothing else.
  'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; base-uri 'none'; frame-ancestors 'none'",
  // Cross-origin isolation: the WASM backend's memory is a SharedArrayBuffer, which a page gets only isolated.
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

function send(res: ServerResponse, status: number, body: Buffer | string, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...extra });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}) =>
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', { 'cache-control': 'no-store', ...extra });

/** Most bytes of a refused body read and dropped before its connection is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

function discard(req: IncomingMessage): void {
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

/** The whole body, refused with 413 as soon as it is known to exceed `max` (declared or counted). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new HttpError(413, `the body is ${declared} bytes; the limit is ${max}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        reject(new HttpError(413, `the body exceeds the limit of ${max} bytes`));
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** The host name of a Host header, lower-cased, without port or IPv6 brackets. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  return h.split(':')[0];
}

/**
 * Whether a request's Host header names this server. A DNS-rebinding page sends its own host
 * name; an IP literal cannot be rebound, so those pass, as do localhost and the names allowed.
 */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (header === undefined) return true; // HTTP/1.0 clients; browsers always send one
  const name = hostName(header);
  return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || allowed.has(name);
}

/** The data set a run trained on, from its saved settings (absent: MNIST, as every run before --dataset). */
export const datasetOfRun = (config: RunConfig): string | null => ((config.training?.settings as { dataset?: string } | undefined)?.dataset ?? null);

/** What GET /api/model answers. */
export type ModelInfo = ReturnType<typeof modelInfo>;

function modelInfo(o: ServeOptions, queue: InferenceQueue) {
  const { model, config } = o;
  return {
    preset: config.preset,
    /** what /api/predict takes: images, or WAV recordings (the page shows its record button) */
    input: isSpeechModel(model) ? 'speech' : 'image',
    inputShape: model.inputShape,
    /** the name of each output, by index: the page labels its answers with them */
    /** whether pictures go through MNIST's digit preprocessing (else a plain resize to inputShape) */
    digits: inputSpecOf(model.inputShape, datasetOfRun(config)).digits,
    layers: model.summaryRows(),
    params: model.countParams(),
    /** what the page rebuilds the model from, with GET /api/model/weights */
    config: config.model,
    classes: classNames(config, model),
    test: config.test ?? null,
    backend: o.backend,
    served: queue.stats,
  };
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const files = loadStatic();
  const engine = loadEngine();
  engine.catch(() => {}); // answered at GET /engine.js, where the page falls back to the API
  // The weights as the page reads them; the model does not change while serving.
  const weights = Buffer.from(encodeSafetensors('api/model/weights', await o.model.stateDict()));
  const queue = new InferenceQueue(o.model);
  const parser = new ParseWorker(inputSpecOf(o.model.inputShape, datasetOfRun(o.config)));
  const max = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const allowed = new Set([...(o.allowedHosts ?? []), o.host ?? '127.0.0.1'].map(hostName));

  async function predictRoute(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A wrong type is refused before reading what may be a large body.
    const speech = isSpeechModel(o.model);
    (speech ? checkAudioType : checkType)(req.headers['content-type']);
    const body = await readBody(req, max);
    const { pixels, inverted } = await parser.parse(req.headers['content-type'] ?? '', body);
    const probabilities = await queue.classify(pixels);
    // `digit` is the index of the most probable class (its historical name); `label` is that class's name.
    const digit = probabilities.indexOf(Math.max(...probabilities));
    const label = classNames(o.config, o.model)[digit];
    if (speech) return sendJson(res, 200, { digit, label, probabilities });
    sendJson(res, 200, { digit, label, probabilities, preprocessed: Array.from(pixels, (v) => Math.round(v * 1e4) / 1e4), inverted });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, allowed)) {
      throw new HttpError(403, `Host "${req.headers.host}" is not a name of this server (allowed: localhost, IP addresses${allowed.size ? `, ${[...allowed].join(', ')}` : ''}; add one with --allow-host)`);
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const page = files.get(path);
    const method = req.method ?? 'GET';
    if (page) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${path} answers GET only`);
      return send(res, 200, page.body, page.type, { 'cache-control': 'no-cache' });
    }
    if (path === '/engine.js') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${path} answers GET only`);
      let body: Buffer;
      try {
        body = await engine;
      } catch (e) {
        throw new HttpError(503, `the page's engine is not built (npm run build): ${(e as Error).message}`);
      }
      return send(res, 200, body, 'text/javascript; charset=utf-8', { 'cache-control': 'no-cache' });
    }
    if (path === '/api/model/weights') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${path} answers GET and HEAD only`);
      return send(res, 200, weights, 'application/octet-stream', { 'cache-control': 'no-cache' });
    }
    if (path === '/api/model') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, '/api/model answers GET and HEAD only');
      return sendJson(res, 200, modelInfo(o, queue));
    }
    if (path === '/api/predict') {
      if (method !== 'POST') throw new HttpError(405, `/api/predict answers POST only, with a body of type ${(isSpeechModel(o.model) ? audioTypes : acceptedTypes).join(', ')}`);
      return predictRoute(req, res);
    }
    throw new HttpError(404, `no such path: ${path}`);
  }

  const server = createServer((req, res) => {
    req.on('error', () => {}); // a client that hangs up mid-body: its response goes nowhere anyway
    handle(req, res).catch((e: Error) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500 && process.env.WGNN_DEBUG) console.error(e);
      if (res.headersSent) return void res.destroy();
      // After a refused body the rest of it is not worth reading: close once the answer is out.
      const headers: Record<string, string> = {};
      // A refused body is still read, and dropped, so that clients that send it whole before
      // reading the answer get the answer; one too large even for that has its connection closed.
      const unread = !req.complete;
      const drain = unread && !(Number(req.headers['content-length']) > DRAIN_LIMIT);
      if (unread && !drain) headers.connection = 'close';
      if (status === 405) headers.allow = new URL(req.url ?? '/', 'http://localhost').pathname === '/api/predict' ? 'POST' : 'GET, HEAD';
      sendJson(res, status, { error: status === 500 ? `internal error: ${e.message}` : e.message }, headers);
      if (drain) discard(req);
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8080, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  return {
    server,
    url,
    queue,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => void parser.close().then(resolve));
        server.closeAllConnections();
      }),
  };
}
