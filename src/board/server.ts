/**
 * `wgnn board`: a page listing the runs under a folder, with their curves. The page holds one
 * server-sent-events stream; the server looks at the folder a few times a second and sends the
 * list when it changes and a run's history when its history.json does (train rewrites it,
 * atomically, after every epoch), so curves grow while a run trains. Node's `http`, no framework.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { historyOf, historyStamp, listRuns } from './runs.ts';

export interface BoardOptions {
  root: string;
  host?: string;
  /** 0: any free port */
  port?: number;
  /** how often the folder is looked at */
  pollMs?: number;
}

export interface RunningBoard {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function loadStatic(): Map<string, { body: Buffer; type: string }> {
  const dir = new URL('./static/', import.meta.url);
  return new Map(Object.entries(STATIC).map(([route, { file, type }]) => [route, { body: readFileSync(new URL(file, dir)), type }]));
}

/** One page's stream: what it was last sent, so that only changes go out. */
interface Client {
  res: ServerResponse;
  runs: string;
  stamps: Map<string, string>;
}

function event(res: ServerResponse, name: string, data: unknown): void {
  res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function startBoard(o: BoardOptions): Promise<RunningBoard> {
  const files = loadStatic();
  const clients = new Set<Client>();

  const update = (c: Client) => {
    const runs = listRuns(o.root);
    const list = JSON.stringify(runs.map(({ dir: _d, ...r }) => r));
    if (list !== c.runs) {
      c.runs = list;
      c.res.write(`event: runs\ndata: ${list}\n\n`);
    }
    for (const r of runs) {
      const stamp = historyStamp(r.dir);
      if (c.stamps.get(r.id) === stamp) continue;
      c.stamps.set(r.id, stamp);
      event(c.res, 'history', { id: r.id, history: historyOf(r.dir) });
    }
  };
  const timer = setInterval(() => {
    for (const c of clients) update(c);
  }, o.pollMs ?? 300);

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', ...HEADERS });
      return void res.end('only GET and HEAD\n');
    }
    const file = files.get(path);
    if (file) {
      res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': 'no-store', ...HEADERS });
      return void res.end(req.method === 'HEAD' ? undefined : file.body);
    }
    if (path === '/api/runs') {
      const body = JSON.stringify(listRuns(o.root).map(({ dir: _d, ...r }) => r));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...HEADERS });
      return void res.end(body);
    }
    if (path === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...HEADERS });
      const c: Client = { res, runs: '', stamps: new Map() };
      clients.add(c);
      req.on('close', () => clients.delete(c));
      return update(c);
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...HEADERS });
    res.end(`not found: ${path}\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8090, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const c of clients) c.res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
