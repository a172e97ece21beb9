import { Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
export declare const binaryOps: readonly BinaryOp[];
export interface BinaryParams {
    op: BinaryOp;
    shape: number[];
    aStrides: number[];
    bStrides: number[];
}
export declare const binaryKernel: Kernel<BinaryParams>;
export declare const add: (a: Tensor, b: Tensor) => Tensor;
export declare const sub: (a: Tensor, b: Tensor) => Tensor;
export declare const mul: (a: Tensor, b: Tensor) => Tensor;
export declare const div: (a: Tensor, b: Tensor) => Tensor;
export type UnaryOp = 'relu' | 'tanh' | 'softsign' | 'gelu' | 'sigmoid' | 'exp' | 'log' | 'neg' | 'square' | 'sqrt';
export declare const unaryOps: readonly UnaryOp[];
export type Activation = 'relu' | 'tanh' | 'softsign' | 'gelu' | 'sigmoid';
export declare const activations: readonly Activation[];
/**
 * erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): WGSL has no erf, and the reference must
 * compute what the shader computes. Keras's default GELU is the exact (erf) form.
 */
export declare function erf(x: number): number;
export declare function applyUnary(op: UnaryOp, x: number): number;
/** d op(x) / dx, from x. */
export declare function unaryDerivative(op: UnaryOp, x: number): number;
export interface UnaryParams {
    op: UnaryOp;
}
export declare const unaryKernel: Kernel<UnaryParams>;
/** dx = dy · op'(x). */
export declare const unaryGradKernel: Kernel<UnaryParams>;
export declare function unary(op: UnaryOp, x: Tensor): Tensor;
export declare const relu: (x: Tensor) => Tensor;
export declare const tanh: (x: Tensor) => Tensor;
export declare const softsign: (x: Tensor) => Tensor;
export declare const gelu: (x: Tensor) => Tensor;
export declare const sigmoid: (x: Tensor) => Tensor;
export declare const exp: (x: Tensor) => Tensor;
export declare const log: (x: Tensor) => Tensor;
export declare const neg: (x: Tensor) => Tensor;
export declare const square: (x: Tensor) => Tensor;
export declare const sqrt: (x: Tensor) => Tensor;
export interface AffineParams {
    scale: number;
    shift: number;
}
/** y = x · scale + shift, with scalar constants. */
export declare const affineKernel: Kernel<AffineParams>;
export declare function affine(x: Tensor, scaleBy: number, shift: number): Tensor;
export declare const scale: (x: Tensor, s: number) => Tensor;
export declare function copy(x: Tensor): Tensor;
export interface AxpyParams {
    alpha: number;
}
/** target += alpha · x, in place: gradient accumulation and metric sums without a new buffer. */
export declare const axpyKernel: Kernel<AxpyParams>;
export declare function addInto(target: Tensor, x: Tensor, alpha?: number): void;
export declare function reshape(x: Tensor, shape: Shape): Tensor;
export declare function flatten(x: Tensor): Tensor;
