/**
 * The GEMM tile timed fastest per adapter and shape, kept in memory and in one JSON file under the
 * user's cache directory ($XDG_CACHE_HOME/wgnn or ~/.cache/wgnn), so each shape is timed once per
 * adapter. A file that is missing, unreadable or describes tiles this build lacks is ignored: the
 * cache only ever saves time, it never decides correctness.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { tileFits, tileName, tileShapes, type GemmTile, type TileLimits } from '../../kernels/gemm-tiles.ts';

export function tileCachePath(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'wgnn', 'gemm-tiles.json');
}

type CacheFile = Record<string, Record<string, string>>;

export class TileCache {
  #shapes: Record<string, string> = {};
  #dirty = false;

  constructor(
    private readonly adapter: string,
    private readonly persistent: boolean,
    private readonly path = tileCachePath(),
  ) {
    if (persistent) this.#shapes = { ...(this.#read()[adapter] ?? {}) };
  }

  /** The timed tile for a shape, if any, and only while it fits the limits in force. */
  get(shape: string, limits: TileLimits): GemmTile | null {
    const name = this.#shapes[shape];
    const tile = name ? tileShapes.find((t) => tileName(t) === name) : undefined;
    return tile && tileFits(tile, limits) ? tile : null;
  }

  set(shape: string, tile: GemmTile): void {
    this.#shapes[shape] = tileName(tile);
    this.#dirty = true;
  }

  /** Writes the file atomically (a temporary file renamed over it), merged with other adapters' entries. */
  save(): void {
    if (!this.persistent || !this.#dirty) return;
    try {
      const all = this.#read();
      all[this.adapter] = { ...(all[this.adapter] ?? {}), ...this.#shapes };
      mkdirSync(join(this.path, '..'), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(all, null, 1)}\n`);
      renameSync(tmp, this.path);
      this.#dirty = false;
    } catch {
      // A read-only home keeps the timings for this process only.
    }
  }

  #read(): CacheFile {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as CacheFile) : {};
    } catch {
      return {};
    }
  }
}
