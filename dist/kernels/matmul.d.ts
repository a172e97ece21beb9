import { Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export interface MatmulParams {
    /** C is m×n; the shared dimension is k. */
    m: number;
    n: number;
    k: number;
    /** A is stored k×m (read transposed) rather than m×k. */
    transA: boolean;
    /** B is stored n×k (read transposed) rather than k×n: the PyTorch Linear weight layout. */
    transB: boolean;
    /** A third input of n values is added to every row. */
    bias: boolean;
}
export declare const matmulKernel: Kernel<MatmulParams>;
interface MatmulOptions {
    transA?: boolean;
    transB?: boolean;
    bias?: Tensor;
}
/** C = op(A)·op(B) (+ bias), for 2-D tensors. */
export declare function matmul(a: Tensor, b: Tensor, { transA, transB, bias }?: MatmulOptions): Tensor;
export {};
