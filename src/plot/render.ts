/**
 * Charts are Vega-Lite specifications, compiled and laid out by Vega headless (no DOM, no canvas)
 * to SVG, and rasterised to PNG by resvg compiled to WebAssembly with a bundled DejaVu Sans: no
 * native module, no system fonts, the same pixels on every machine. All three load on the first
 * chart drawn, not with the modules that import this one (the CLI answers --help without them).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../io/atomic.ts';

export type { TopLevelSpec };

const require = createRequire(import.meta.url);
let ready: Promise<{ Resvg: typeof import('@resvg/resvg-wasm').Resvg; font: Uint8Array }> | null = null;

/** Loads the rasteriser once per process, with the font it renders text with. */
function rasteriser(): Promise<{ Resvg: typeof import('@resvg/resvg-wasm').Resvg; font: Uint8Array }> {
  ready ??= (async () => {
    const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    // One font file shipped with wgnn (DejaVu's licence, beside it, permits it), not a 12 MB package of them.
    return { Resvg, font: readFileSync(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url)) };
  })();
  return ready;
}

const FONT = 'DejaVu Sans';

/** The Vega-Lite spec's SVG, with the font the rasteriser has. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const withFont = { ...spec, config: { font: FONT, background: 'white', ...spec.config } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withFont).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { Resvg, font } = await rasteriser();
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontBuffers: [font], defaultFontFamily: FONT, sansSerifFamily: FONT, loadSystemFonts: false },
  });
  const image = r.render();
  const png = image.asPng();
  image.free();
  r.free();
  return png;
}

/** Writes `<base>.png` and, when `svg` is set, `<base>.svg`; returns the paths written. */
export async function renderChart(spec: TopLevelSpec, base: string, o: { svg?: boolean; scale?: number } = {}): Promise<string[]> {
  const svg = await toSvg(spec);
  writeFileAtomic(`${base}.png`, await svgToPng(svg, o.scale));
  if (!o.svg) return [`${base}.png`];
  writeFileAtomic(`${base}.svg`, svg);
  return [`${base}.png`, `${base}.svg`];
}
