import type { TopLevelSpec } from 'vega-lite';
export type { TopLevelSpec };
/** The Vega-Lite spec's SVG, with the font the rasteriser has. */
export declare function toSvg(spec: TopLevelSpec): Promise<string>;
export declare function svgToPng(svg: string, scale?: number): Promise<Uint8Array>;
/** Writes `<base>.png` and, when `svg` is set, `<base>.svg`; returns the paths written. */
export declare function renderChart(spec: TopLevelSpec, base: string, o?: {
    svg?: boolean;
    scale?: number;
}): Promise<string[]>;
