#!/usr/bin/env node
// Runs the built CLI (dist/, written by `npm run build`, which `prepare` runs on install and
// pack). In a checkout whose src/ was edited after the last build, it runs the sources through
// tsx (a dev dependency) instead, so that `npx wgnn` never runs stale code while developing.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { runWithoutDawnWarnings } from './quiet-dawn.mjs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/cli/main.js', root);
const sources = new URL('src/', root);

/** Newest modification time under a directory, in ms. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs);
  }
  return t;
}

if (runWithoutDawnWarnings()) {
  const stale = existsSync(sources) && (!existsSync(built) || newest(sources) > statSync(built).mtimeMs);
  if (stale) {
    let register;
    try {
      ({ register } = await import('tsx/esm/api'));
    } catch {
      console.error('wgnn: dist/ is missing or older than src/, and tsx is not installed to run the sources: run `npm run build`');
      process.exit(1);
    }
    register();
    await import(new URL('src/cli/main.ts', root).href);
  } else {
    await import(built.href);
  }
}
