/**
 * The Redis behind `--queue`: its URL checked, and reached once before anything is queued.
 * ioredis is loaded on the first connection only: every CLI start reaches this module (the tune
 * options' lists), and loading it costs about 300 ms that `wgnn train` should not pay.
 */
import type { Redis } from 'ioredis';

export type RedisClient = Redis;

/** host and port of `redis://host:port[/db]`, or a one-line error naming the option. */
export function parseRedisUrl(url: string): { host: string; port: number; db: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--queue: expected redis://host:port, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' || !u.hostname) throw new Error(`--queue: expected redis://host:port, got ${JSON.stringify(url)}`);
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`--queue: the database after the port must be a number, got ${JSON.stringify(u.pathname.slice(1))}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port, db };
}

/** What BullMQ's queues and workers connect with: they wait out a Redis restart instead of failing. */
export function bullConnection(url: string) {
  return { ...parseRedisUrl(url), maxRetriesPerRequest: null };
}

/** A connection that has answered PING; an unreachable server is one clear line, not endless retries. */
export async function openRedis(url: string): Promise<Redis> {
  const { host, port, db } = parseRedisUrl(url);
  const { Redis } = await import('ioredis');
  const probe = new Redis({ host, port, db, lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError = '';
  probe.on('error', (e: NodeJS.ErrnoException) => void (lastError = e.code ?? e.message));
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    probe.disconnect();
    throw new Error(`cannot reach Redis at ${url} (${lastError || (e as Error).message}): start redis-server there, or check --queue`);
  }
  // From here on, a dropped connection is retried: a long search should outlive a Redis restart.
  probe.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  probe.options.maxRetriesPerRequest = 20;
  return probe;
}
