#!/usr/bin/env node
// Builds what the package runs: with --wasm the WASM kernels into build/ (npm run build:wasm), and
// always the TypeScript into dist/ (plain
// JavaScript and .d.ts files, the same layout as src/, so that paths relative to a module, such
// as ../../../shaders/, hold in both). `prepare` runs it; a production install of a checkout has
// no compilers, and there it says so instead of failing the install.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

if (!['tsc', 'asc', 'tsx'].every((name) => existsSync(bin(name)))) {
  console.warn('wgnn: typescript, assemblyscript and tsx are not installed (an install without dev dependencies): dist/ and build/ not built');
  process.exit(0);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (process.argv.includes('--wasm')) run('npm', ['run', '--silent', 'build:wasm']);
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
// Files read from beside their module (serve's and board's pages, a worker in plain JS) go along.
cpSync(join(root, 'src'), join(root, 'dist'), { recursive: true, filter: (from) => statSync(from).isDirectory() || !from.endsWith('.ts') });
// The serve page's engine, one browser module bundled from the TypeScript (src/serve/bundle.ts).
run(bin('tsx'), ['src/serve/bundle.ts', join(root, 'dist', 'serve', 'static', 'engine.js')]);
