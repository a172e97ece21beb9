import type { Backend, HostArray, Storage } from './backend.ts';
import type { Kernel } from '../kernels/kernel.ts';
export type Shape = readonly number[];
/** Gradient rule of one recorded op: given the output's gradient, the inputs' gradients. */
export interface GradNode {
    readonly op: string;
    readonly inputs: readonly Tensor[];
    backward(grad: Tensor): readonly (Tensor | null)[];
}
export declare function sizeOf(shape: Shape): number;
export declare function sameShape(a: Shape, b: Shape): boolean;
export declare class Tensor {
    #private;
    readonly shape: Shape;
    requiresGrad: boolean;
    readonly id: number;
    readonly size: number;
    grad: Tensor | null;
    node: GradNode | null;
    private constructor();
    static empty(shape: Shape, backend?: Backend): Tensor;
    static from(data: ArrayLike<number>, shape: Shape, backend?: Backend): Tensor;
    static scalar(value: number, backend?: Backend): Tensor;
    get backend(): Backend;
    get storage(): Storage;
    get disposed(): boolean;
    /** A tensor of another shape over the same memory; no copy. */
    view(shape: Shape): Tensor;
    read(): Promise<HostArray>;
    item(): Promise<number>;
    dispose(): void;
    private live;
}
/**
 * Runs a kernel on tensors: allocates the outputs on the inputs' backend and queues the work.
 * Every op goes through here, so one place checks that its tensors share a backend.
 */
export declare function launch<P>(kernel: Kernel<P>, inputs: readonly Tensor[], outShapes: readonly Shape[], params: P): Tensor[];
/** Runs a kernel that updates `targets` in place (optimizer steps, running statistics, accumulators). */
export declare function launchInPlace<P>(kernel: Kernel<P>, inputs: readonly Tensor[], targets: readonly Tensor[], params: P): void;
