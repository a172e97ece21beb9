export interface PipelineKey {
    readonly shader: string;
    readonly entry: string;
    readonly key?: Readonly<Record<string, number | boolean>>;
    readonly inputs: number;
    readonly outputs: number;
}
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
