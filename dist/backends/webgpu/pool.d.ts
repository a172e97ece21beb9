/**
 * Size-bucketed GPU buffer pool. A freed buffer that the open command encoder still uses waits
 * until that encoder was submitted before another tensor may get it: the queue then orders the
 * new owner's writes after the old owner's reads.
 */
/** Byte sizes in quarter-octave steps (…, 1024, 1280, 1536, 1792, 2048, …): at most 25% unused. */
export declare function bucketSize(bytes: number): number;
export interface PoolStats {
    /** Buffers created since the start. */
    created: number;
    /** Allocations served from the free lists. */
    reused: number;
    live: number;
    liveBytes: number;
    freeBytes: number;
}
export declare class BufferPool {
    #private;
    private readonly device;
    private readonly maxBufferSize;
    constructor(device: GPUDevice, maxBufferSize: number);
    acquire(bytes: number): GPUBuffer;
    /** `inFlight`: the open encoder uses the buffer, so it is recycled only after the next submit. */
    release(buffer: GPUBuffer, inFlight: boolean): void;
    /** Bytes freed while the open encoder still used them: memory a submit would give back. */
    get pendingBytes(): number;
    /** Called right after a submit: what that submit used may now go to new owners. */
    submitted(): void;
    stats(): PoolStats;
    destroy(): void;
}
