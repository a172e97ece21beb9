/** The figures of a study run, as Vega-Lite specifications rendered by ./render.ts. */
import type { EpochLogs } from '../train/fit.ts';
/** loss.png, accuracy.png and lr.png (with SVGs) in `dir`; returns the paths written. */
export declare function learningCurves(history: EpochLogs[], dir: string, bestEpoch?: number): Promise<string[]>;
/** Counts with true labels down and predictions across, colour on a symmetric-log scale so that a few errors still show. */
export declare function confusionHeatmap(matrix: number[][], base: string): Promise<string[]>;
export interface Tile {
    /** 28×28 values in [0, 1] */
    pixels: ArrayLike<number>;
    caption: string;
}
/** Digits in a grid, each captioned (true/predicted labels, or the label). */
export declare function imageGrid(tiles: Tile[], title: string, base: string, columns?: number): Promise<string[]>;
/** Examples per digit, one bar per split. */
export declare function labelDistribution(counts: Record<string, number[]>, base: string): Promise<string[]>;
export interface Histogram {
    name: string;
    /** bin edges, one more than counts */
    edges: number[];
    counts: number[];
}
/** One panel per tensor, each with its own x range. */
export declare function weightHistograms(hists: Histogram[], base: string): Promise<string[]>;
