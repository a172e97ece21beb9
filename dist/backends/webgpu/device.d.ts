export interface GpuDevice {
    readonly device: GPUDevice;
    /** The adapter, in words: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)". */
    readonly adapterName: string;
    /** Whether the adapter is a CPU (lavapipe, SwiftShader): kernels choose barrier-free variants. */
    readonly software: boolean;
    /** Throws the first recorded uncaptured error or the loss of the device, if any. */
    check(): void;
    /** Called with the reason when the device is lost, after `check()` starts throwing. */
    onLost(listener: (reason: Error) => void): void;
    destroy(): void;
}
/**
 * Resolves to an open device, or null (with the reason) when no adapter exists: the caller
 * decides whether that is a fallback (`--backend auto`) or a failure (`--backend webgpu`, CI).
 */
export declare function openDevice(): Promise<GpuDevice | {
    error: string;
}>;
