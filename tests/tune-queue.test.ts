/**
 * Issue 15: a search on BullMQ over a real redis-server (loopback, a free port, no persistence),
 * a coordinator and three workers as separate processes; one worker is SIGKILLed in the middle of
 * a trial. BullMQ's stalled-job check must hand that trial to another worker, which resumes it
 * from its epoch checkpoint, and every trial must end with exactly the results of the same search
 * run in one process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPool, poolRunner } from '../src/study/pool.ts';
import { parseSpace } from '../src/study/space.ts';
import { openStore } from '../src/study/store.ts';
import { TRIALS_FILE, tune, type Trial } from '../src/study/tune.ts';

const SPACE = {
  format: 'wgnn-space', epochs: 2,
  params: {
    arch: 'digits', filters1: { choice: [4, 6] }, filters2: { choice: [6, 8] }, units: { choice: [16, 24] }, dropout: { range: [0, 0.3, 0.1] },
    lr: { loguniform: [0.002, 0.02] }, optimizer: { choice: ['adam', 'adamw'] }, schedule: { choice: ['constant', 'one-cycle'] }, batchSize: 32, augment: { choice: [null, 'affine'] },
  },
};
const SEARCH = ['--strategy', 'tpe', '--trials', '7', '--parallel', '3', '--seed', '5', '--limit', '2000', '--validation-split', '0.25', '--no-test', '--backend', 'wasm'];

let tmp: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-tune-queue-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  vi.restoreAllMocks();
  rmSync(tmp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A child with its output collected; `until` resolves at the first line matching. */
function start(cmd: string, args: string[]) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() } });
  children.push(child);
  let out = '';
  const watchers: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const lines = () => out.split(/[\r\n]+/);
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...watchers]) {
      const m = lines().map((l) => l.match(w.re)).find(Boolean);
      if (m) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => out,
    /** the first line matching; fails with the output so far after `seconds` */
    until: (re: RegExp, seconds = 60) => new Promise<RegExpMatchArray>((resolve, reject) => {
      const m = lines().map((l) => l.match(re)).find(Boolean);
      if (m) return resolve(m);
      const timer = setTimeout(() => reject(new Error(`no line matching ${re} after ${seconds} s; output:\n${out.slice(-3000)}`)), seconds * 1000);
      watchers.push({ re, resolve: (x) => (clearTimeout(timer), resolve(x)) });
    }),
  };
}

const wgnn = (args: string[]) => start(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);

/** What a trial is and how it went, without its wall times. */
const outcome = (trials: Trial[]) => Object.fromEntries(trials.map((t) => [t.id, { config: t.config, epochs: t.epochs, curve: t.curve, valAccuracy: t.valAccuracy, testAccuracy: t.testAccuracy, pruned: t.pruned, stopBelow: t.stopBelow }]));

describe('wgnn tune --queue (BullMQ over Redis)', () => {
  it('a coordinator and three workers, one SIGKILLed mid-trial, end with the single-process results', async () => {
    const spaceFile = join(tmp, 'space.json');
    await import('node:fs').then((fs) => fs.writeFileSync(spaceFile, JSON.stringify(SPACE)));

    // The reference: the same search in this process.
    const pool = await createPool('wasm', 1);
    const single = await tune({
      strategy: 'tpe', trials: 7, parallel: 3, seed: 5, limit: 2000, validationSplit: 0.25, maxEpochs: 2, earlyStop: true, test: false,
      space: parseSpace(SPACE, spaceFile), out: join(tmp, 'single'), runner: poolRunner(pool, 1), openStore, log: () => {},
    }).finally(() => pool.close());
    expect(single.trials).toHaveLength(7);

    const port = await freePort();
    const redis = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    await redis.until(/Ready to accept connections/);
    const url = `redis://127.0.0.1:${port}`;
    const workers = ['w1', 'w2', 'w3'].map((name) => wgnn(['worker', '--queue', url, '--name', name, '--lock-seconds', '5', '--backend', 'wasm']));
    await Promise.all(workers.map((w) => w.until(/waiting for trials/)));

    const coordinator = wgnn(['tune', '--space', spaceFile, ...SEARCH, '--queue', url, '--out', join(tmp, 'queued')]);
    // The first finished epoch of a two-epoch trial: its worker is in the middle of the trial.
    const [, trial, victim] = await coordinator.until(/^\[(t\d+) (w\d)\] epoch 1\/2/);
    workers[Number(victim.slice(1)) - 1].child.kill('SIGKILL');
    const code = await Promise.race([coordinator.exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`the search did not end; coordinator:\n${coordinator.output().slice(-3000)}`)), 90_000))]);
    expect(code, coordinator.output()).toBe(0);
    // Another worker took the trial over from its checkpoint.
    expect(coordinator.output()).toMatch(new RegExp(`^\\[${trial} (?!${victim})w\\d\\] resumed after epoch 1 from its checkpoint`, 'm'));

    const queued = JSON.parse(readFileSync(join(tmp, 'queued', TRIALS_FILE), 'utf8')).trials as Trial[];
    expect(outcome(queued)).toEqual(outcome(single.trials));
    expect(queued.some((t) => t.pruned) || queued.every((t) => !t.stopBelow)).toBe(true);
    // Every trial's learning curve is where `wgnn board` finds it, written by the coordinator from the workers' epoch lines.
    for (const t of queued) expect(JSON.parse(readFileSync(join(tmp, 'queued', 'trials', t.id, 'history.json'), 'utf8')).map((h: { val_accuracy: number }) => h.val_accuracy)).toEqual(t.curve.map((c) => c.val_accuracy));

    // Run again with more trials (a restarted coordinator): the seven come from Redis and trials.json, only the eighth trains.
    const extended = wgnn(['tune', '--space', spaceFile, ...SEARCH.map((a) => (a === '7' ? '8' : a)), '--queue', url, '--out', join(tmp, 'queued')]);
    expect(await extended.exited, extended.output()).toBe(0);
    expect(extended.output()).toMatch(/1 trials trained in this run/);
    expect(JSON.parse(readFileSync(join(tmp, 'queued', TRIALS_FILE), 'utf8')).trials).toHaveLength(8);

    // A worker of another wgnn version refuses the queue in one line.
    const redisClient = new Redis({ host: '127.0.0.1', port });
    await redisClient.set('wgnn:version', '0.0.0-other');
    await redisClient.quit();
    const stranger = wgnn(['worker', '--queue', url, '--name', 'w9', '--backend', 'wasm']);
    expect(await stranger.exited).not.toBe(0);
    expect(stranger.output()).toMatch(/driven by wgnn 0\.0\.0-other; this worker is wgnn .*: run the same version everywhere/);

    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    redis.child.kill('SIGTERM');
    await redis.exited;
  }, 180_000);
});
