/**
 * The model the package ships (models/default, trained by wgnn: see the README), used by
 * `wgnn predict` and `wgnn serve` when no run directory is given.
 */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** models/default at the package root, found from this file whether it runs from src/ or a built copy one level deeper. */
export function defaultModelDir(): string {
  for (const up of ['../../models/default', '../../../models/default']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}/config.json`)) return dir;
  }
  throw new Error('the shipped model (models/default) is missing from this installation: pass a run directory written by wgnn train --out');
}

/** True when `path` is a run directory (a directory with config.json), not an image. */
export function isRunDir(path: string): boolean {
  try {
    return statSync(path).isDirectory() && existsSync(`${path}/config.json`);
  } catch {
    return false;
  }
}
