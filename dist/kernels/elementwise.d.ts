import { Tensor, type Shape } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
export declare const binaryOps: readonly BinaryOp[];
export declare const binaryCodes: import("./spec.ts").OpCodes<BinaryOp>;
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
/**
 * erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): WGSL has no erf, and the reference must
 * compute what the shader computes. Keras's default GELU is the exact (erf) form.
 */
export declare function erf(x: number): number;
/**
 * The unary ops, declared once: the reference and its derivative, the inputs it is defined on
 * (for the tests), and how the WASM backend runs it (`lanes`: four at a time, `scalar`: per
 * element in f64, both in assembly/elementwise.ts, which the build checks; `reference`: this
 * file's loop). The WGSL is one `case UNARY_<OP>` line in shaders/elementwise.wgsl returning
 * (op(x), op'(x)); the loader refuses the family file without it.
 */
export interface UnaryOpSpec {
    f(x: number): number;
    /** d f / dx, from x */
    df(x: number): number;
    domain: 'real' | 'positive';
    wasm: 'lanes' | 'scalar' | 'reference';
}
export declare const unarySpecs: {
    readonly relu: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => 0 | 1;
        readonly domain: "real";
        readonly wasm: "lanes";
    };
    readonly tanh: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "real";
        readonly wasm: "scalar";
    };
    readonly softsign: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "real";
        readonly wasm: "scalar";
    };
    readonly gelu: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "real";
        readonly wasm: "scalar";
    };
    readonly sigmoid: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "real";
        readonly wasm: "scalar";
    };
    readonly exp: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "real";
        readonly wasm: "scalar";
    };
    readonly log: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "positive";
        readonly wasm: "scalar";
    };
    readonly neg: {
        readonly f: (x: number) => number;
        readonly df: () => number;
        readonly domain: "real";
        readonly wasm: "lanes";
    };
    readonly square: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "real";
        readonly wasm: "lanes";
    };
    readonly sqrt: {
        readonly f: (x: number) => number;
        readonly df: (x: number) => number;
        readonly domain: "positive";
        readonly wasm: "lanes";
    };
};
export type UnaryOp = keyof typeof unarySpecs;
export declare const unaryOps: UnaryOp[];
/** An op's declaration, widened: code that must handle every kind of op reads it through this. */
export declare const unarySpec: (op: UnaryOp) => UnaryOpSpec;
export declare const unaryCodes: import("./spec.ts").OpCodes<"relu" | "tanh" | "softsign" | "gelu" | "sigmoid" | "exp" | "log" | "neg" | "square" | "sqrt">;
export type Activation = 'relu' | 'tanh' | 'softsign' | 'gelu' | 'sigmoid';
export declare const activations: readonly Activation[];
/** shaders/elementwise.wgsl: its uniform blocks, bindings by name, and the op codes it switches on. */
export declare const elementwiseShader: import("./spec.ts").ShaderFamily<{
    readonly binary: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly shape: "u32x8";
            readonly aStrides: "u32x8";
            readonly bStrides: "u32x8";
            readonly n: "u32";
            readonly rank: "u32";
        }>;
        readonly inputs: readonly ["a", "b"];
        readonly outputs: readonly ["y"];
    };
    readonly unary: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
    readonly unary_grad: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
        }>;
        readonly inputs: readonly ["x", "dy"];
        readonly outputs: readonly ["dx"];
    };
    readonly affine: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
            readonly scale: "f32";
            readonly shift: "f32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
    readonly axpy: {
        readonly uniforms: import("./spec.ts").Block<{
            readonly n: "u32";
            readonly alpha: "f32";
        }>;
        readonly inputs: readonly ["x"];
        readonly outputs: readonly ["y"];
    };
}>;
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
