/**
 * One process at a time in a run directory. Two trainings writing one directory end with one's
 * config and the other's weights; the lock file (created with O_EXCL, holding the owner's pid)
 * makes the second refuse at once. A lock whose owner died without removing it (SIGKILL, a
 * crash) names a pid that no longer runs: it is taken over, and the caller is told.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = '.wgnn.lock';

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export interface RunLock {
  readonly path: string;
  /** set when a stale lock was taken over: whose it was */
  readonly tookOver: Owner | null;
  release(): void;
}

/** Whether `pid` is a running process on this machine (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof o.pid === 'number' ? { pid: o.pid, host: String(o.host ?? ''), since: String(o.since ?? '') } : null;
  } catch {
    return null; // unreadable or half-written: treated as the lock of a process that died writing it
  }
}

/** Takes the lock of run directory `dir` (which must exist), or throws naming the process that holds it. */
export function lockRunDir(dir: string): RunLock {
  const path = join(dir, LOCK_FILE);
  let tookOver: Owner | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`${path}: cannot create the run's lock file (${(e as NodeJS.ErrnoException).code})`, { cause: e });
      const owner = readOwner(path);
      if (owner && (owner.host !== hostname() || processAlive(owner.pid))) {
        const where = owner.host === hostname() ? `process ${owner.pid}` : `process ${owner.pid} on ${owner.host}`;
        throw new Error(`${dir}: in use by ${where} since ${owner.since} (lock file ${path}); wait for it to finish, or use another --out`);
      }
      tookOver = owner ?? { pid: -1, host: hostname(), since: 'unknown' };
      // Two processes may both see the stale lock: each removes it and retries O_EXCL; one wins.
      rmSync(path, { force: true });
      continue;
    }
    const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    try {
      writeSync(fd, JSON.stringify(owner) + '\n');
    } finally {
      closeSync(fd);
    }
    const release = () => {
      process.off('exit', release);
      const now = readOwner(path);
      if (now?.pid === process.pid) rmSync(path, { force: true });
    };
    process.on('exit', release);
    return { path, tookOver, release };
  }
  throw new Error(`${path}: could not take the lock (another process keeps taking it)`);
}
