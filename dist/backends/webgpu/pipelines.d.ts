import type { ShaderSource } from '../../kernels/gpu.ts';
export interface PipelineKey {
    readonly shader: string | ShaderSource;
    readonly entry: string;
    readonly key?: Readonly<Record<string, number | boolean>>;
    readonly inputs: number;
    readonly outputs: number;
    /** binding numbers of the inputs then the outputs; 1, 2, … when absent */
    readonly bindings?: readonly number[];
}
/** The layout's name: `1r2r6w` is bindings 1 and 2 read-only and 6 written. */
export declare function layoutId(k: Pick<PipelineKey, 'inputs' | 'outputs' | 'bindings'>): string;
export interface Compiled {
    readonly pipeline: GPUComputePipeline;
    readonly layout: GPUBindGroupLayout;
}
/** The uniform block is bound with a dynamic offset into one arena per command encoder. */
export declare const uniformBlockBytes = 256;
export declare class Pipelines {
    #private;
    private readonly device;
    private readonly debug;
    constructor(device: GPUDevice, debug: boolean);
    /** The pipeline, created now (synchronously) unless it is cached. */
    get(k: PipelineKey): Compiled;
    /** Compiles in the background (Dawn's async creation); `get` afterwards finds it cached. */
    prepare(k: PipelineKey): Promise<Compiled>;
    get size(): number;
}
