/**
 * The runs under a folder, as the board lists them: every directory (at most two levels down, so
 * a study's variants count) holding a config.json or a history.json.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface RunEntry {
  /** the path below the root, with forward slashes: the run's name on the page */
  id: string;
  dir: string;
  model: string;
  /** epochs planned (null when unknown) */
  epochs: number | null;
  /** epochs done */
  done: number;
  testAccuracy: number | null;
  /** last change of its history or config, ms since the epoch */
  updated: number;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Missing, or being replaced: the next look will find it whole (every file is written atomically).
    return null;
  }
}

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0);

export function historyOf(dir: string): unknown[] {
  const h = readJson(join(dir, 'history.json'));
  return Array.isArray(h) ? h : [];
}

/** A fingerprint of the run's history file: it changes whenever an epoch is written. */
export function historyStamp(dir: string): string {
  const path = join(dir, 'history.json');
  if (!existsSync(path)) return '';
  const s = statSync(path);
  return `${s.mtimeMs}:${s.size}`;
}

function entry(root: string, dir: string): RunEntry {
  const config = readJson(join(dir, 'config.json')) as { preset?: string | null; training?: { epochs?: number; settings?: { config?: string | null } }; test?: { accuracy?: number } } | null;
  const source = config?.training?.settings?.config;
  return {
    id: relative(root, dir).split(sep).join('/'),
    dir,
    model: config?.preset ?? (source ? source.split(/[\\/]/).at(-1)! : 'model'),
    epochs: typeof config?.training?.epochs === 'number' ? config.training.epochs : null,
    done: historyOf(dir).length,
    testAccuracy: typeof config?.test?.accuracy === 'number' ? config.test.accuracy : null,
    updated: Math.max(mtime(join(dir, 'history.json')), mtime(join(dir, 'config.json'))),
  };
}

const isRun = (dir: string) => existsSync(join(dir, 'config.json')) || existsSync(join(dir, 'history.json'));

/** Runs under `root`, newest first; links (runs/latest) are skipped so no run shows twice. */
export function listRuns(root: string): RunEntry[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      if (!st.isDirectory()) continue;
      if (isRun(path)) found.push(path);
      if (depth < 2) walk(path, depth + 1);
    }
  };
  walk(root, 1);
  return found.map((d) => entry(root, d)).sort((a, b) => b.updated - a.updated || a.id.localeCompare(b.id));
}
