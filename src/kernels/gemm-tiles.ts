/**
 * Tile shapes of the GEMM template (shaders/gemm.wgsl): which ones an adapter can run, and the
 * deterministic default where no timing picked one. Imports nothing from Dawn.
 */

export interface GemmTile {
  /** threads per workgroup along columns and rows */
  readonly wgX: number;
  readonly wgY: number;
  /** rows per thread */
  readonly tm: number;
  /** groups of 4 columns per thread */
  readonly tn4: number;
  /** depth of the slabs of A and B staged in workgroup memory, a multiple of 4 (four-wide loads of A); 0: the register tile, which runs the register kernels (shaders/matmul_regs.wgsl, shaders/conv2d_regs.wgsl) */
  readonly bk: number;
}

/** What decides whether a tile fits an adapter. */
export interface TileLimits {
  readonly maxWorkgroupStorageBytes: number;
  readonly maxInvocationsPerWorkgroup: number;
  readonly maxWorkgroupSizeX: number;
  readonly maxWorkgroupSizeY: number;
}

/** Rows × columns of C one workgroup computes. */
export const tileRows = (t: GemmTile): number => t.wgY * t.tm;
export const tileCols = (t: GemmTile): number => t.wgX * t.tn4 * 4;
export const tileStorageBytes = (t: GemmTile): number => 4 * t.bk * (tileRows(t) + tileCols(t));
export const tileName = (t: GemmTile): string => `${tileRows(t)}x${tileCols(t)}${t.bk ? `x${t.bk}` : ' regs'}/${t.wgX}x${t.wgY}`;

/**
 * The candidates, largest first. 128×128 with 8×8 outputs a thread is the shape of the fast
 * public WGSL and CUDA sgemms; the smaller ones suit small or skinny products (a dense layer at
 * batch 64, a weight gradient with few filters) where a large tile leaves most workgroups idle.
 * The register tile stages nothing (shaders/matmul_regs.wgsl, conv2d_regs.wgsl): the default of a CPU adapter, and a
 * candidate like the others where tiles are timed. The last, 4 threads and 384 bytes, fits any
 * adapter WebGPU allows.
 */
export const registerTile: GemmTile = { wgX: 16, wgY: 4, tm: 4, tn4: 1, bk: 0 };
export const tileShapes: readonly GemmTile[] = [
  { wgX: 16, wgY: 16, tm: 8, tn4: 2, bk: 8 },
  { wgX: 16, wgY: 16, tm: 4, tn4: 1, bk: 16 },
  { wgX: 8, wgY: 16, tm: 4, tn4: 2, bk: 16 },
  { wgX: 8, wgY: 8, tm: 4, tn4: 1, bk: 16 },
  registerTile,
  { wgX: 2, wgY: 2, tm: 2, tn4: 1, bk: 8 },
];

export function tileFits(t: GemmTile, l: TileLimits): boolean {
  return t.wgX * t.wgY <= l.maxInvocationsPerWorkgroup && t.wgX <= l.maxWorkgroupSizeX && t.wgY <= l.maxWorkgroupSizeY && tileStorageBytes(t) <= l.maxWorkgroupStorageBytes;
}

/** The candidates an adapter can run, largest first; never empty. */
export function fittingTiles(l: TileLimits): GemmTile[] {
  const fit = tileShapes.filter((t) => tileFits(t, l));
  if (fit.length === 0) throw new Error(`webgpu: no GEMM tile fits this adapter (${l.maxInvocationsPerWorkgroup} invocations, ${l.maxWorkgroupStorageBytes} bytes of workgroup storage)`);
  return fit;
}

/**
 * Without a timing: the largest fitting tile that still gives the adapter a few dozen workgroups
 * (a small GEMM on a 128×128 tile would run on one or two cores of the GPU), else the smallest
 * general-purpose one. Deterministic, so tests and the CPU-emulated adapters get the same tile.
 */
export function defaultTile(l: TileLimits, m: number, n: number, software: boolean): GemmTile {
  const fit = fittingTiles(l);
  if (software && fit.includes(registerTile)) return registerTile;
  const general = fit.filter((t) => t.wgX * t.wgY >= 64 && t.bk > 0);
  for (const t of general) {
    if (Math.ceil(m / tileRows(t)) * Math.ceil(n / tileCols(t)) >= 32) return t;
  }
  return general.at(-1) ?? fit.at(-1)!;
}

/** The tile as the module-scope constants gemm.wgsl expects. */
export function tileConsts(t: GemmTile): Record<string, number> {
  if (t.bk === 0) throw new Error('gemm-tiles: the register tile runs the register kernels, not the template');
  return { WG_X: t.wgX, WG_Y: t.wgY, TM: t.tm, TN4: t.tn4, BK: t.bk };
}
