import { Conv2D } from './conv2d.ts';
import { Dense } from './dense.ts';
import type { Layer, LayerConfig } from './layer.ts';
/** Gives a Dense or Conv2D layer its own L2 λ (null: none of its own). */
export declare function withL2<L extends Dense | Conv2D>(layer: L, l2: number | null): L;
export declare function layerFromConfig(cfg: unknown, where: string): Layer;
export type { LayerConfig };
