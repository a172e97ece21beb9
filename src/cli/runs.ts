/**
 * Where runs live when the user names no directory: `runs/<model>-<timestamp>/`, with
 * `runs/latest` pointing at the newest one so that the next command can find it without
 * copying a timestamp. `latest` is a relative symlink; where the file system refuses symlinks
 * (Windows without developer mode, some network and FAT mounts) it is a one-line text file
 * holding the directory's name, which `resolveRunDir` follows the same way.
 */
import { existsSync, lstatSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';

export const RUNS_ROOT = 'runs';
export const LATEST = 'latest';

/** 2026-12-01T17:55:03Z → 20261201-175503 (UTC, so that names sort in time order anywhere). */
export function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A fresh directory name under `root` for a run of `model`; never one that exists already. */
export function defaultRunDir(model: string, root = RUNS_ROOT, now = new Date()): string {
  const base = join(root, `${model.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${timestamp(now)}`);
  let dir = base;
  for (let k = 2; existsSync(dir); k++) dir = `${base}-${k}`;
  return dir;
}

/** How `root/latest` was made: a symlink, or a pointer file where symlinks are refused. */
export type LatestKind = 'symlink' | 'pointer file';

/** Points `<dirname(dir)>/latest` at `dir`, replacing the old pointer in one rename. */
export function markLatest(dir: string): LatestKind {
  const root = dirname(dir);
  const target = basename(dir);
  const link = join(root, LATEST);
  const temp = join(root, `.${LATEST}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  try {
    symlinkSync(target, temp, 'dir');
    renameSync(temp, link);
    return 'symlink';
  } catch (e) {
    rmSync(temp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    // EISDIR/ENOTEMPTY: a real directory named latest is the user's; leave it alone.
    if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'ENOTDIR') throw new Error(`${link}: exists and is not a link wgnn made; rename it to keep runs/latest working`);
    if (existsSync(link) && lstatSync(link).isDirectory()) throw new Error(`${link}: is a directory, not a link wgnn made`);
    writeFileAtomic(link, target + '\n');
    return 'pointer file';
  }
}

/**
 * The run directory a command should read: `dir` itself, or, when `dir` is runs/latest (a
 * symlink, or a pointer file where symlinks are refused), the directory it names beside it.
 */
export function resolveRunDir(dir: string): string {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    const hint = basename(dir) === LATEST ? ' (no run yet: train one with npx wgnn train)' : '';
    throw new Error(`${dir}: no such run directory${hint}`);
  }
  if (st.isSymbolicLink()) {
    // Named by its target, so that messages and a new `latest` never point at `latest` itself.
    const target = readlinkSync(dir);
    return isAbsolute(target) ? target : join(dirname(dir), target);
  }
  if (!st.isFile()) return dir;
  const text = readFileSync(dir, 'utf8').trim();
  if (!text || text.includes('\n') || text.length > 255) throw new Error(`${dir}: is a file but not a runs/latest pointer (one line naming a run directory)`);
  const target = join(dirname(dir), text);
  if (!existsSync(target)) throw new Error(`${dir}: points at ${target}, which does not exist`);
  return target;
}

/** Whether `dir` sits directly in the default runs folder, whose `latest` follows it. */
export function inRunsRoot(dir: string): boolean {
  return resolve(dirname(dir)) === resolve(RUNS_ROOT);
}
