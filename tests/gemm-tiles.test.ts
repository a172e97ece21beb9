/**
 * The GEMM tile shapes an adapter gets: always one that fits its limits (a small adapter gets a
 * small tile, never a validation error), the same one every time where nothing was timed, and
 * the timed choice remembered per adapter and shape in a cache file that can only save time.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTile, fittingTiles, registerTile, tileFits, tileShapes, tileStorageBytes, type TileLimits } from '../src/kernels/gemm-tiles.ts';
import { TileCache } from '../src/backends/webgpu/tile-cache.ts';

/** WebGPU's default limits: what every adapter offers at least. */
const webgpuDefaults: TileLimits = { maxWorkgroupStorageBytes: 16384, maxInvocationsPerWorkgroup: 256, maxWorkgroupSizeX: 256, maxWorkgroupSizeY: 256 };
const tiny: TileLimits = { maxWorkgroupStorageBytes: 1024, maxInvocationsPerWorkgroup: 16, maxWorkgroupSizeX: 16, maxWorkgroupSizeY: 16 };

describe('GEMM tiles', () => {
  it('all fit WebGPU\'s default limits', () => {
    for (const t of tileShapes) expect(tileFits(t, webgpuDefaults), JSON.stringify(t)).toBe(true);
  });

  it('a small adapter gets only tiles that fit it, and still one', () => {
    const fit = fittingTiles(tiny);
    expect(fit.length).toBeGreaterThan(0);
    for (const t of fit) {
      expect(t.wgX * t.wgY).toBeLessThanOrEqual(16);
      expect(tileStorageBytes(t)).toBeLessThanOrEqual(1024);
    }
    for (const software of [false, true]) expect(tileFits(defaultTile(tiny, 4096, 4096, software), tiny)).toBe(true);
  });

  it('defaults deterministically: the register tile on a CPU adapter, a staged one on a GPU', () => {
    expect(defaultTile(webgpuDefaults, 1024, 1024, true)).toBe(registerTile);
    const big = defaultTile(webgpuDefaults, 4096, 4096, false);
    expect(big.bk).toBeGreaterThan(0);
    expect(defaultTile(webgpuDefaults, 4096, 4096, false)).toBe(big);
    // A small product gets a smaller tile, so that enough workgroups run.
    const small = defaultTile(webgpuDefaults, 64, 128, false);
    expect(small.wgY * small.tm * small.wgX * small.tn4 * 4).toBeLessThan(big.wgY * big.tm * big.wgX * big.tn4 * 4);
  });

  it('remembers the timed tile per adapter and shape in its file, and ignores a broken file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wgnn-tiles-')), 'gemm-tiles.json');
    const a = new TileCache('adapter A', true, path);
    a.set('matmulNN 1024x1024x1024', tileShapes[1]);
    a.save();
    expect(new TileCache('adapter A', true, path).get('matmulNN 1024x1024x1024', webgpuDefaults)).toBe(tileShapes[1]);
    expect(new TileCache('adapter B', true, path).get('matmulNN 1024x1024x1024', webgpuDefaults)).toBeNull();
    // A remembered tile the adapter's limits no longer allow is not used.
    expect(new TileCache('adapter A', true, path).get('matmulNN 1024x1024x1024', tiny)).toBeNull();
    expect(JSON.parse(readFileSync(path, 'utf8'))['adapter A']['matmulNN 1024x1024x1024']).toMatch(/^64x64x16/);
    writeFileSync(path, '{ not json');
    expect(new TileCache('adapter A', true, path).get('matmulNN 1024x1024x1024', webgpuDefaults)).toBeNull();
  });
});
