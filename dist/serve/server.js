/**
 * `wgnn serve`: the digit page and its JSON API on Node's own `http` module. Three routes do not
 * need a framework, and none means nothing to keep patched. A bad request is answered with a
 * status and a message; nothing a client sends can take the server down.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { InferenceQueue } from "./inference.js";
import { acceptedTypes, checkType, HttpError, parseInput } from "./input.js";
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const STATIC = {
    '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
    '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
    '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
    '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
/** The page's files, read once: they are small and never change while serving. */
function loadStatic() {
    const dir = new URL('./static/', import.meta.url);
    return new Map(Object.entries(STATIC).map(([route, { file, type }]) => [route, { body: readFileSync(new URL(file, dir)), type }]));
}
const SECURITY_HEADERS = {
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; base-uri 'none'; frame-ancestors 'none'",
};
function send(res, status, body, type, extra = {}) {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...extra });
    res.end(body);
}
const sendJson = (res, status, value, extra = {}) => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', { 'cache-control': 'no-store', ...extra });
/** Most bytes of a refused body read and dropped before its connection is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
function discard(req) {
    let size = 0;
    req.on('data', (chunk) => {
        size += chunk.length;
        if (size > DRAIN_LIMIT)
            req.socket.destroy();
    });
    req.resume();
}
/** The whole body, refused with 413 as soon as it is known to exceed `max` (declared or counted). */
function readBody(req, max) {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max)
        return Promise.reject(new HttpError(413, `the body is ${declared} bytes; the limit is ${max}`));
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const onData = (chunk) => {
            size += chunk.length;
            if (size > max) {
                req.off('data', onData);
                reject(new HttpError(413, `the body exceeds the limit of ${max} bytes`));
            }
            else {
                chunks.push(chunk);
            }
        };
        req.on('data', onData);
        req.on('end', () => resolve(Buffer.concat(chunks, size)));
        req.on('error', reject);
    });
}
function modelInfo(o, queue) {
    const { model, config } = o;
    return {
        preset: config.preset,
        inputShape: model.inputShape,
        layers: model.summaryRows(),
        params: model.countParams(),
        test: config.test ?? null,
        backend: o.backend,
        served: queue.stats,
    };
}
export async function startServer(o) {
    const files = loadStatic();
    const queue = new InferenceQueue(o.model);
    const max = o.maxBytes ?? DEFAULT_MAX_BYTES;
    async function predictRoute(req, res) {
        // A wrong type is refused before reading what may be a large body.
        checkType(req.headers['content-type']);
        const body = await readBody(req, max);
        const { pixels, inverted } = parseInput(req.headers['content-type'], body);
        const probabilities = await queue.classify(pixels);
        const digit = probabilities.indexOf(Math.max(...probabilities));
        sendJson(res, 200, { digit, probabilities, preprocessed: Array.from(pixels, (v) => Math.round(v * 1e4) / 1e4), inverted });
    }
    async function handle(req, res) {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const page = files.get(path);
        const method = req.method ?? 'GET';
        if (page) {
            if (method !== 'GET' && method !== 'HEAD')
                throw new HttpError(405, `${path} answers GET only`);
            return send(res, 200, page.body, page.type, { 'cache-control': 'no-cache' });
        }
        if (path === '/api/model') {
            if (method !== 'GET')
                throw new HttpError(405, '/api/model answers GET only');
            return sendJson(res, 200, modelInfo(o, queue));
        }
        if (path === '/api/predict') {
            if (method !== 'POST')
                throw new HttpError(405, `/api/predict answers POST only, with a body of type ${acceptedTypes.join(', ')}`);
            return predictRoute(req, res);
        }
        throw new HttpError(404, `no such path: ${path}`);
    }
    const server = createServer((req, res) => {
        req.on('error', () => { }); // a client that hangs up mid-body: its response goes nowhere anyway
        handle(req, res).catch((e) => {
            const status = e instanceof HttpError ? e.status : 500;
            if (status === 500 && process.env.WGNN_DEBUG)
                console.error(e);
            if (res.headersSent)
                return void res.destroy();
            // After a refused body the rest of it is not worth reading: close once the answer is out.
            const headers = {};
            // A refused body is still read, and dropped, so that clients that send it whole before
            // reading the answer get the answer; one too large even for that has its connection closed.
            const unread = !req.complete;
            const drain = unread && !(Number(req.headers['content-length']) > DRAIN_LIMIT);
            if (unread && !drain)
                headers.connection = 'close';
            if (status === 405)
                headers.allow = new URL(req.url ?? '/', 'http://localhost').pathname === '/api/predict' ? 'POST' : 'GET, HEAD';
            sendJson(res, status, { error: status === 500 ? `internal error: ${e.message}` : e.message }, headers);
            if (drain)
                discard(req);
        });
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 60_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port ?? 8080, o.host ?? '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const { address, port } = server.address();
    const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
    return {
        server,
        url,
        queue,
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}
