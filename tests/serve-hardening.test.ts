/**
 * Issue 14, items 1 and 10, and the server's done-when: a decompression bomb is refused from its
 * header before any decoding; decoding runs on a worker thread, so the event loop keeps answering;
 * a Host header that is not this server's (DNS rebinding) is refused; HEAD /api/model answers.
 * The server is the CLI (`wgnn serve`) in its own process, so its memory is its own: the peak
 * resident size (VmHWM in /proc) must stay under 300 MB through a PNG bomb, a 9 MB body and 200
 * concurrent valid requests, while GET /api/model keeps answering within 200 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { train } from '../src/cli/train.ts';
import { decodeImage, imageSize } from '../src/image/decode.ts';
import { spawnServe } from './helpers.ts';

let tmp: string;
let server: ChildProcess;
let url: URL;

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let crc = ~0;
  for (const byte of body) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(~crc >>> 0, 8 + data.length);
  return out;
}

/** A valid 1-bit grayscale PNG of side × side black pixels: a few kilobytes that decode to side² × 4 bytes. */
function pngBomb(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, grayscale, deflate, no filter, no interlace
  const raw = Buffer.alloc(side * (1 + Math.ceil(side / 8))); // each row: filter byte 0, then zeros
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A 28×28 digit-like PNG (a vertical stroke). */
function digitPng(): Buffer {
  const png = new PNG({ width: 28, height: 28 });
  png.data.fill(0);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  for (let y = 5; y < 23; y++) for (let x = 12; x < 16; x++) png.data.fill(255, 4 * (y * 28 + x), 4 * (y * 28 + x) + 3);
  return PNG.sync.write(png);
}

/** The load generator: a PNG bomb, a 9 MB body and 200 valid PNGs at once; prints "sent", then the statuses. */
const LOAD_SCRIPT = `
import { request } from 'node:http';
const [url, bomb, digit] = process.argv.slice(1);
const post = (body) => new Promise((resolve) => {
  const req = request(new URL('/api/predict', url), { method: 'POST', headers: { 'content-type': 'image/png', 'content-length': body.length } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
  });
  req.on('error', () => resolve({ status: 0, body: '' }));
  req.end(body);
});
const all = [post(Buffer.from(bomb, 'base64')), post(Buffer.alloc(9 * 2 ** 20, 1)), ...Array.from({ length: 200 }, () => post(Buffer.from(digit, 'base64')))];
process.stdout.write('sent\\n');
const [b, big, ...valid] = await Promise.all(all);
process.stdout.write(JSON.stringify({ bomb: b, big: big.status, valid: valid.map((v) => v.status), digits: valid.map((v) => v.status === 200 ? JSON.parse(v.body).digit : -1) }) + '\\n');
`;

interface Reply { status: number; body: string; ms: number; headers: Record<string, string | string[] | undefined> }

function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), ms: performance.now() - started, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The peak resident memory so far of the server: the process started and its descendants
 * (bin/wgnn.mjs runs the command in a child), summed, in MiB, from Linux's /proc.
 */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  let kb = Number(m![1]);
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) kb += peakRssMiB(Number(child)) * 1024;
  }
  return kb / 1024;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-serve-hard-'));
  const dir = join(tmp, 'run');
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await train({
    model: 'mlp', epochs: 1, batchSize: 50, validationSplit: 0, optimizer: 'adam', seed: 1, backend: 'reference', limit: 500, json: false, test: false, out: dir,
    batchNorm: true, earlyStopping: false, monitor: 'val_loss', patience: 3, minDelta: 0, restoreBest: true,
    reduceLr: false, reduceLrFactor: 0.5, reduceLrPatience: 1, minLr: 1e-5, lrSchedule: 'constant', lrDecay: 0.5, lrDecayEpochs: 5,
  });
  quiet.mockRestore();
  const started = await spawnServe(dir, 'cpu', 60);
  server = started.child;
  url = new URL(started.url);
}, 120_000);

afterAll(() => {
  if (server?.exitCode === null) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

describe('the pixel limit (item 1)', () => {
  it('reads the size from the PNG or JPEG header and refuses a bomb before decoding', () => {
    const bomb = pngBomb(10_000);
    expect(bomb.length).toBeLessThan(200_000);
    expect(imageSize(bomb)).toEqual({ width: 10_000, height: 10_000 });
    const rss = process.memoryUsage().rss;
    expect(() => decodeImage(bomb, 'bomb.png')).toThrow('bomb.png: the image is 10000×10000 pixels; at most 16,777,216 pixels are decoded');
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 2 ** 20);
    // A JPEG's size is in its start-of-frame segment, after any APP segments.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x4e, 0x20, 0x75, 0x30, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);
    expect(imageSize(jpeg)).toEqual({ width: 30_000, height: 20_000 });
    expect(() => decodeImage(jpeg, 'big.jpg')).toThrow('big.jpg: the image is 30000×20000 pixels');
    expect(decodeImage(digitPng(), 'd.png').width).toBe(28);
  });
});

describe('wgnn serve under hostile load', () => {
  it('item 10: refuses a Host that is not this server (DNS rebinding); accepts localhost, IP literals and the bound host', async () => {
    const port = url.port;
    expect((await send('GET', '/api/model', { host: `evil.example:${port}` })).status).toBe(403);
    expect((await send('POST', '/api/predict', { host: 'rebind.attacker.test', 'content-type': 'image/png' }, digitPng())).status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
      expect((await send('GET', '/api/model', { host })).status, host).toBe(200);
    }
  });

  it('item 10: HEAD /api/model answers like GET, without a body', async () => {
    const head = await send('HEAD', '/api/model');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/application\/json/);
    expect(head.body).toBe('');
  });

  it('item 1: through a PNG bomb, a 9 MB body and 200 concurrent requests, memory stays under 300 MB and GET /api/model answers within 200 ms', async () => {
    // The load comes from another process, so that this one's event loop is free to time the probes.
    const load = spawn(process.execPath, ['--input-type=module', '-e', LOAD_SCRIPT, url.href, pngBomb(10_000).toString('base64'), digitPng().toString('base64')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    load.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const done = new Promise<void>((resolve) => load.once('exit', () => resolve()));
    await new Promise<void>((resolve) => load.stdout!.once('data', () => resolve())); // "sent"
    // GET /api/model while all that is in flight, a few times over its course.
    const probes: Reply[] = [];
    for (let i = 0; i < 5; i++) {
      probes.push(await send('GET', '/api/model'));
      await new Promise((r) => setTimeout(r, 30));
    }
    await done;
    const result = JSON.parse(out.slice(out.indexOf('{'))) as { bomb: { status: number; body: string }; big: number; valid: number[]; digits: number[] };
    expect(result.bomb.status).toBe(400);
    expect(result.bomb.body).toContain('10000×10000 pixels');
    expect([413, 0]).toContain(result.big);
    expect(result.valid).toEqual(result.valid.map(() => 200));
    expect(result.valid).toHaveLength(200);
    expect(new Set(result.digits).size).toBe(1);
    for (const p of probes) expect(p.status).toBe(200);
    expect(probes.map((p) => Math.round(p.ms)).filter((ms) => ms >= 200), 'GET /api/model latencies (ms) at or above 200').toEqual([]);
    const peak = peakRssMiB(server.pid!);
    console.info(`serve under load: peak RSS ${peak.toFixed(0)} MiB; GET /api/model ${probes.map((p) => p.ms.toFixed(0)).join(', ')} ms`);
    expect(peak, `peak resident memory ${peak.toFixed(0)} MiB`).toBeLessThan(300);
  });
});
