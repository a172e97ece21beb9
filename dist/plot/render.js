/**
 * Charts are Vega-Lite specifications, compiled and laid out by Vega headless (no DOM, no canvas)
 * to SVG, and rasterised to PNG by resvg compiled to WebAssembly with a bundled DejaVu Sans: no
 * native module, no system fonts, the same pixels on every machine.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { writeFileAtomic } from "../io/atomic.js";
const require = createRequire(import.meta.url);
let ready = null;
/** Loads the rasteriser once per process; returns the font it renders text with. */
function rasteriser() {
    ready ??= (async () => {
        await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
        return readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
    })();
    return ready;
}
const FONT = 'DejaVu Sans';
/** The Vega-Lite spec's SVG, with the font the rasteriser has. */
export async function toSvg(spec) {
    const withFont = { ...spec, config: { font: FONT, background: 'white', ...spec.config } };
    const view = new vega.View(vega.parse(compile(withFont).spec), { renderer: 'none' });
    try {
        return await view.toSVG();
    }
    finally {
        view.finalize();
    }
}
export async function svgToPng(svg, scale = 2) {
    const font = await rasteriser();
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
export async function renderChart(spec, base, o = {}) {
    const svg = await toSvg(spec);
    writeFileAtomic(`${base}.png`, await svgToPng(svg, o.scale));
    if (!o.svg)
        return [`${base}.png`];
    writeFileAtomic(`${base}.svg`, svg);
    return [`${base}.png`, `${base}.svg`];
}
