import type { Layer, LayerConfig } from './layer.ts';
export declare function layerFromConfig(cfg: unknown, where: string): Layer;
export type { LayerConfig };
