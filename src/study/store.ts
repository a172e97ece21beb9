/**
 * Where a trial keeps its epoch checkpoint and, once done, its model: a directory for local
 * searches, Redis for searches on a queue. Weights go to Redis there (not a shared directory)
 * so that a worker needs nothing but the Redis URL: no NFS mount to set up, and a checkpoint is
 * one atomic SET, so a worker killed mid-write leaves the previous one whole. A trial's checkpoint
 * is a few MB and is deleted when the trial ends; only finished models stay, and the coordinator
 * deletes all but the best.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_FILE } from '../io/checkpoint.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { openRedis, type RedisClient } from './redis.ts';

export type StoreRef = { kind: 'dir'; root: string } | { kind: 'redis'; url: string; prefix: string };

/** A finished trial's run directory: what `wgnn evaluate` reads. */
export const MODEL_FILES = ['model.safetensors', 'config.json', 'history.json'] as const;

export interface TrialStore {
  /** a local directory holding the trial's last checkpoint, if it has one, to train in */
  open(trial: string): Promise<string>;
  /** `dir`/checkpoint.safetensors was just written */
  saveCheckpoint(trial: string, dir: string): Promise<void>;
  /** `dir` holds the finished model (MODEL_FILES): keep it, drop the checkpoint */
  saveModel(trial: string, dir: string): Promise<void>;
  /** copies a finished trial's model files into `dir`; false when it has none */
  copyModel(trial: string, dir: string): Promise<boolean>;
  /** forgets a trial's model (a trial that is not the best) */
  drop(trial: string): Promise<void>;
  close(): Promise<void>;
}

class DirStore implements TrialStore {
  constructor(private readonly root: string) {}
  async open(trial: string): Promise<string> {
    const dir = join(this.root, trial);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  async saveCheckpoint(): Promise<void> {}
  async saveModel(_trial: string, dir: string): Promise<void> {
    rmSync(join(dir, CHECKPOINT_FILE), { force: true });
  }
  async copyModel(trial: string, dir: string): Promise<boolean> {
    const from = join(this.root, trial);
    if (!MODEL_FILES.every((f) => existsSync(join(from, f)))) return false;
    mkdirSync(dir, { recursive: true });
    for (const f of MODEL_FILES) writeFileAtomic(join(dir, f), readFileSync(join(from, f)));
    return true;
  }
  async drop(trial: string): Promise<void> {
    // The learning curve (history.json) stays for `wgnn board`; the weights go.
    for (const f of ['model.safetensors', 'config.json', CHECKPOINT_FILE]) rmSync(join(this.root, trial, f), { force: true });
  }
  async close(): Promise<void> {}
}

class RedisStore implements TrialStore {
  private readonly dirs: string[] = [];
  constructor(private readonly redis: RedisClient, private readonly prefix: string) {}
  private key = (what: 'ckpt' | 'model', trial: string) => `${this.prefix}:${what}:${trial}`;
  async open(trial: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'wgnn-trial-'));
    this.dirs.push(dir);
    const bytes = await this.redis.getBuffer(this.key('ckpt', trial));
    if (bytes) writeFileSync(join(dir, CHECKPOINT_FILE), bytes);
    return dir;
  }
  async saveCheckpoint(trial: string, dir: string): Promise<void> {
    await this.redis.set(this.key('ckpt', trial), readFileSync(join(dir, CHECKPOINT_FILE)));
  }
  async saveModel(trial: string, dir: string): Promise<void> {
    const files = Object.fromEntries(MODEL_FILES.map((f) => [f, readFileSync(join(dir, f))]));
    await this.redis.multi().hset(this.key('model', trial), files).del(this.key('ckpt', trial)).exec();
    rmSync(dir, { recursive: true, force: true });
  }
  async copyModel(trial: string, dir: string): Promise<boolean> {
    const files = await this.redis.hgetallBuffer(this.key('model', trial));
    if (!MODEL_FILES.every((f) => files[f])) return false;
    mkdirSync(dir, { recursive: true });
    for (const f of MODEL_FILES) writeFileAtomic(join(dir, f), files[f]);
    return true;
  }
  async drop(trial: string): Promise<void> {
    await this.redis.del(this.key('model', trial), this.key('ckpt', trial));
  }
  async close(): Promise<void> {
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    await this.redis.quit();
  }
}

export async function openStore(ref: StoreRef): Promise<TrialStore> {
  if (ref.kind === 'dir') return new DirStore(ref.root);
  return new RedisStore(await openRedis(ref.url), ref.prefix);
}

/** The trials a directory store holds (for tests and clean-up). */
export const storedTrials = (root: string) => (existsSync(root) ? readdirSync(root) : []);
