/**
 * The package as users get it: `npm pack`, installed into an empty folder from the npm cache
 * (offline, without the optional `webgpu`), imported and run by plain Node: no tsx, no sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Bytes under a directory, links not followed. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

/** Newest modification time of the files under a directory. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

let tmp: string;
let app: string;
let files: string[];

beforeAll(() => {
  // `prepare` built dist/ at install; rebuild only when the sources changed since.
  const built = join(ROOT, 'dist/index.js');
  if (!existsSync(built) || newest(join(ROOT, 'src')) > statSync(built).mtimeMs) npm(['run', '--silent', 'build'], ROOT);
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT)) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((f) => f.path);

  // The consumer's lockfile is wgnn's own production entries plus the tarball, so that `npm ci
  // --offline` needs only the tarballs an `npm ci` of this repository put in the cache.
  app = join(tmp, 'app');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const tarball = `file:../${packed.filename}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { wgnn: tarball } },
    'node_modules/wgnn': {
      version: pkg.version, resolved: tarball, license: pkg.license, bin: pkg.bin, engines: pkg.engines,
      dependencies: pkg.dependencies, optionalDependencies: pkg.optionalDependencies,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>)) {
    if (key && !entry.dev) packages[key] = entry;
  }
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { wgnn: tarball } }));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }));
  npm(['ci', '--offline', '--omit=optional', '--no-audit', '--no-fund'], app);
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const node = (script: string): string =>
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8', timeout: 120_000 });

describe('the packed package', () => {
  it('holds the built JavaScript and what it reads at run time, and no sources', () => {
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/core.js', 'dist/cli/main.js', 'dist/serve/static/index.html', 'dist/serve/static/engine.js', 'dist/serve/parse-entry.mjs', 'dist/board/static/index.html', 'bin/wgnn.mjs', 'bin/quiet-dawn.mjs', 'models/default/model.safetensors',
      'build/wgnn.wasm', 'build/wgnn-relaxed.wasm', 'shaders/common.wgsl', 'shaders/matmul.wgsl',
      'data/mnist/train-images-idx3-ubyte.gz', 'data/mnist/t10k-labels-idx1-ubyte.gz', 'assets/fonts/DejaVuSans.ttf']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(src|tests|bench|assembly)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without tsx, in under 48 MB before the optional webgpu package (132 MB of Dawn binaries)', () => {
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, 'tsx'))).toBe(false);
    expect(existsSync(join(modules, 'webgpu'))).toBe(false);
    expect(sizeOf(modules) / 2 ** 20).toBeLessThan(48);
  });

  it('imports in plain Node, computes, reads MNIST, and auto falls back to wasm without webgpu', () => {
    const out = node(`
      const w = await import('wgnn');
      const { backend, reason } = await w.selectBackend('auto');
      w.setBackend(backend);
      const a = w.Tensor.from([1, 2, 3, 4], [2, 2]);
      const product = Array.from(await w.ops.matmul(a, a).read());
      const mnist = w.loadMnist();
      backend.dispose();
      const core = await import('wgnn/core');
      console.log(JSON.stringify({ name: backend.name, reason, product, train: mnist.train.count, test: mnist.test.count, core: typeof core.ReferenceBackend }));
    `);
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r).toMatchObject({ name: 'wasm', product: [7, 10, 15, 22], train: 60000, test: 10000, core: 'function' });
    expect(r.reason).toMatch(/auto: the webgpu package .* could not be loaded/);
  });

  it('runs its bin', () => {
    const help = execFileSync(join(app, 'node_modules/.bin/wgnn'), ['--help'], { encoding: 'utf8' });
    expect(help).toMatch(/Usage: wgnn/);
    const summary = execFileSync(join(app, 'node_modules/.bin/wgnn'), ['summary', '--model', 'mlp'], { encoding: 'utf8' });
    expect(summary).toContain('101,770');
  });
});
