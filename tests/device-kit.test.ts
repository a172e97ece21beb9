/**
 * The device kit (`npm run device:pack`): built, copied into an empty folder, and its run.sh run
 * there in quick mode on the adapter at hand (lavapipe in CI), with the kit's own Vulkan loader;
 * its one line of JSON is parsed and checked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWebGpu } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const gpu = await openWebGpu('device kit test');
gpu?.dispose();

const tmp = mkdtempSync(join(tmpdir(), 'wgnn-kit-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  return total;
}

describe.skipIf(!gpu)('device kit', () => {
  it('packs into at most 60 MiB, runs from an empty folder and prints one line of JSON', () => {
    const built = join(tmp, 'built');
    // xz -0 keeps the test quick; the default (-9) kit is smaller still.
    execFileSync(process.execPath, ['scripts/device-pack.mjs', '--out', built, '--xz-level', '0'], { cwd: ROOT, stdio: 'pipe' });
    expect(bytesUnder(built) / 2 ** 20).toBeLessThanOrEqual(60);
    const names = readdirSync(built);
    for (const f of ['run.sh', 'bench.mjs', 'node.xz', 'dawn.node.xz', 'torch_bench.py', 'shaders', 'build', 'data']) expect(names).toContain(f);
    expect(names.filter((n) => n === 'node_modules' || n.endsWith('.ts'))).toEqual([]);

    const kit = join(tmp, 'copy');
    cpSync(built, kit, { recursive: true });
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WGNN_KIT_LOADER: 'bundled' };
    const stdout = execFileSync(join(kit, 'run.sh'), ['--quick'], { cwd: tmpdir(), env, encoding: 'utf8', timeout: 480_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]);
    expect(r.quick).toBe(true);
    expect(r.adapter).toMatch(/^webgpu: /);
    expect(typeof r.timestampQuery).toBe('boolean');
    expect(Object.keys(r.kernels)).toEqual(['matmul-64', 'matmul-96', 'conv2d-fwd', 'conv2d-dx', 'conv2d-dw']);
    for (const k of Object.values(r.kernels) as { rate: number; unit: string }[]) {
      expect(k.unit).toBe('GFLOP/s');
      expect(k.rate).toBeGreaterThan(0);
    }
    expect(r.training).toMatchObject({ model: 'cnn', batch: 64 });
    expect(r.training.imagesPerSecond).toBeGreaterThan(0);
    expect(r.training.dispatchesPerStep).toBeGreaterThan(0);
    expect(r.training.hostMsPerStep).toBeGreaterThan(0);
    expect(r.training.bindGroupsPerStep).toBe(0);
    for (const run of [r.recipeFirstRun, r.recipe]) {
      expect(run).toMatchObject({ preset: 'fast', batch: 256, images: 512 });
      expect(run.trainSeconds).toBeGreaterThan(0);
    }

    // Full sizes on a CPU adapter: one line saying so, at once, rather than a GPU machine's minutes on lavapipe.
    const full = spawnSync(join(kit, 'run.sh'), [], { cwd: tmpdir(), env, encoding: 'utf8', timeout: 120_000 });
    expect(full.status).toBe(2);
    const refused = JSON.parse(full.stdout.trim());
    expect(refused.error).toMatch(/^the adapter is a CPU \(.+\): no GPU's Vulkan driver was found/);
    expect(refused.kernels).toBeUndefined();
  }, 600_000);
});
