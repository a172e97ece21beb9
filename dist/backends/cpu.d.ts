import type { Backend, DType, HostArray, Storage } from '../tensor/backend.ts';
import type { Kernel } from '../kernels/kernel.ts';
/**
 * The reference backend: every kernel's plain-loop `cpu` implementation, synchronously. In
 * float64 it is the oracle of the gradient checks.
 */
export declare class CpuBackend implements Backend {
    readonly dtype: DType;
    readonly name = "cpu";
    readonly description: string;
    constructor(dtype?: DType);
    alloc(length: number): Storage;
    free(): void;
    write(storage: Storage, data: ArrayLike<number>, offset?: number): void;
    read(storage: Storage): Promise<HostArray>;
    run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void;
    accumulate(target: Storage, source: Storage): void;
    copy(source: Storage, target: Storage): void;
    flush(): void;
    sync(): Promise<void>;
    dispose(): void;
}
