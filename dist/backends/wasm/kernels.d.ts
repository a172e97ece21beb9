/**
 * The WASM table: every kernel, by registry name, maps to its hand-written WASM (assembly/) or to
 * an explicit 'reference' (its plain loop on the shared memory); the type makes a kernel without
 * an entry a compile error. Each fast kernel packs its parameter block by field name from the
 * blocks declared below, whose AssemblyScript readers `npm run build:wasm` generates
 * (scripts/gen-assembly.ts), splits the work over the threads and calls its export
 * (assembly/index.ts).
 */
import type { KernelName, ParamsOf } from '../../kernels/registry.ts';
import { type UnaryOpSpec } from '../../kernels/elementwise.ts';
import { type Block, type Fields, type Values } from '../../kernels/spec.ts';
/** What the backend offers a fast kernel. Pointers are byte offsets into the shared memory. */
export interface Ctx {
    readonly threads: number;
    /** rows of the GEMM micro-tile of the kernels build in use */
    readonly tileRows: number;
    readonly exports: Record<string, (...args: number[]) => number>;
    /** Writes the parameter block, every field by name, and returns its pointer. */
    setParams<F extends Fields>(b: Block<F>, values: Values<F>): number;
    /**
     * Runs export `fn` over units [0, units), cut into chunks of multiples of `grain` (about
     * `perThread` per thread) that the threads claim as they go; `work` (flops) decides whether
     * to use the workers at all, and 0 keeps the kernel on this thread.
     */
    parallel(fn: string, params: number, units: number, work: number, grain?: number, perThread?: number): void;
    /**
     * Runs export `fn` over units [0, units) cut into `chunks` equal chunks whatever the thread
     * count, passing each chunk its index in place of the thread's: for kernels that keep one
     * partial sum per chunk, added up afterwards in chunk order, so that a seed gives the same
     * result on 1 thread or 16.
     */
    parallelChunks(fn: string, params: number, units: number, chunks: number): void;
    /** A reusable block of at least `bytes` for slot `slot`. */
    workspace(slot: string, bytes: number): number;
}
/** Returns 'reference' when these params are declared to run the reference loop (a unary op's `wasm`). */
export type FastKernel<P> = (ctx: Ctx, inputs: number[], outputs: number[], params: P, lengths: number[]) => void | 'reference';
type FastKernels = {
    readonly [K in KernelName]: FastKernel<ParamsOf<K>> | 'reference';
};
/** The WASM parameter blocks, one per export: `ptr` fields are tensors, the rest scalars. */
export declare const wasmParams: {
    matmul: Block<{
        readonly m: "i32";
        readonly n: "i32";
        readonly k: "i32";
        /** A[i, p] is at a + 4 (i·aRowStride + p·aDepthStride); B[p, j] at b + 4 (p·bDepthStride + j·bColStride) */
        readonly a: "ptr";
        readonly aRowStride: "i32";
        readonly aDepthStride: "i32";
        readonly b: "ptr";
        readonly bDepthStride: "i32";
        readonly bColStride: "i32";
        readonly c: "ptr";
        readonly bias: "ptr";
        readonly splitRows: "i32";
    }>;
    conv2d: Block<{
        readonly x: "ptr";
        readonly weights: "ptr";
        readonly bias: "ptr";
        readonly y: "ptr";
        readonly block: "i32";
        readonly n: "i32";
        readonly c: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly k: "i32";
        readonly kh: "i32";
        readonly kw: "i32";
        readonly stride: "i32";
        readonly padTop: "i32";
        readonly padLeft: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    conv2dGradInput: Block<{
        readonly dy: "ptr";
        readonly weights: "ptr";
        readonly dx: "ptr";
        readonly columns: "ptr";
        readonly n: "i32";
        readonly c: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly k: "i32";
        readonly kh: "i32";
        readonly kw: "i32";
        readonly stride: "i32";
        readonly padTop: "i32";
        readonly padLeft: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    conv2dGradWeight: Block<{
        readonly x: "ptr";
        readonly dy: "ptr";
        readonly dw: "ptr";
        readonly partials: "ptr";
        readonly n: "i32";
        readonly c: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly k: "i32";
        readonly kh: "i32";
        readonly kw: "i32";
        readonly stride: "i32";
        readonly padTop: "i32";
        readonly padLeft: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    unary: Block<{
        readonly op: "i32";
        readonly x: "ptr";
        readonly y: "ptr";
    }>;
    unaryGrad: Block<{
        readonly op: "i32";
        readonly x: "ptr";
        readonly dy: "ptr";
        readonly dx: "ptr";
    }>;
    affine: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly scale: "f32";
        readonly shift: "f32";
    }>;
    axpy: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly alpha: "f32";
    }>;
    binary: Block<{
        readonly op: "i32";
        readonly a: "ptr";
        readonly b: "ptr";
        readonly y: "ptr";
        readonly rank: "i32";
        readonly shape: "i32x8";
        readonly aStrides: "i32x8";
        readonly bStrides: "i32x8";
    }>;
    broadcast: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly rank: "i32";
        readonly shape: "i32x8";
        readonly strides: "i32x8";
        readonly scale: "f32";
    }>;
    sumTo: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly rank: "i32";
        readonly outLength: "i32";
        readonly shape: "i32x8";
        readonly outStrides: "i32x8";
        readonly scale: "f32";
    }>;
    /** element i is kept when hash32(hash32(seed) + i) ≥ threshold = ⌈rate · 2³²⌉ */
    dropout: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly seed: "u32";
        readonly threshold: "u32";
        readonly keep: "f32";
    }>;
    maxPool: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly planes: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly size: "i32";
        readonly stride: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    maxPoolGrad: Block<{
        readonly x: "ptr";
        readonly dy: "ptr";
        readonly dx: "ptr";
        readonly planes: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly size: "i32";
        readonly stride: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    avgPool: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly planes: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly size: "i32";
        readonly stride: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    avgPoolGrad: Block<{
        readonly dy: "ptr";
        readonly dx: "ptr";
        readonly planes: "i32";
        readonly h: "i32";
        readonly w: "i32";
        readonly size: "i32";
        readonly stride: "i32";
        readonly oh: "i32";
        readonly ow: "i32";
    }>;
    bnStats: Block<{
        readonly x: "ptr";
        readonly mean: "ptr";
        readonly variance: "ptr";
        readonly n: "i32";
        readonly c: "i32";
        readonly s: "i32";
    }>;
    bnForward: Block<{
        readonly x: "ptr";
        readonly mean: "ptr";
        readonly variance: "ptr";
        readonly gamma: "ptr";
        readonly beta: "ptr";
        readonly y: "ptr";
        readonly eps: "f32";
        readonly n: "i32";
        readonly c: "i32";
        readonly s: "i32";
    }>;
    bnBackward: Block<{
        readonly x: "ptr";
        readonly dy: "ptr";
        readonly mean: "ptr";
        readonly variance: "ptr";
        readonly gamma: "ptr";
        readonly dx: "ptr";
        readonly dgamma: "ptr";
        readonly dbeta: "ptr";
        readonly eps: "f32";
        readonly n: "i32";
        readonly c: "i32";
        readonly s: "i32";
    }>;
    /** running ← momentum · running + rate · batch */
    ema: Block<{
        readonly batch: "ptr";
        readonly running: "ptr";
        readonly momentum: "f32";
        readonly rate: "f32";
    }>;
    softmax: Block<{
        readonly x: "ptr";
        readonly y: "ptr";
        readonly rows: "i32";
        readonly cols: "i32";
    }>;
    softmaxGrad: Block<{
        readonly y: "ptr";
        readonly dy: "ptr";
        readonly dx: "ptr";
        readonly rows: "i32";
        readonly cols: "i32";
    }>;
    crossEntropy: Block<{
        readonly x: "ptr";
        readonly labels: "ptr";
        readonly loss: "ptr";
        readonly rows: "i32";
        readonly cols: "i32";
    }>;
    crossEntropyGrad: Block<{
        readonly x: "ptr";
        readonly labels: "ptr";
        readonly dloss: "ptr";
        readonly dx: "ptr";
        readonly rows: "i32";
        readonly cols: "i32";
    }>;
    countCorrect: Block<{
        readonly logits: "ptr";
        readonly labels: "ptr";
        readonly acc: "ptr";
        readonly rows: "i32";
        readonly cols: "i32";
    }>;
    sgd: Block<{
        readonly grad: "ptr";
        readonly param: "ptr";
        readonly lr: "f32";
        readonly weightDecay: "f32";
    }>;
    momentum: Block<{
        readonly grad: "ptr";
        readonly param: "ptr";
        readonly velocity: "ptr";
        readonly nesterov: "i32";
        readonly lr: "f32";
        readonly weightDecay: "f32";
        readonly momentum: "f32";
    }>;
    adam: Block<{
        readonly grad: "ptr";
        readonly param: "ptr";
        readonly m: "ptr";
        readonly v: "ptr";
        readonly decoupled: "i32";
        readonly lr: "f32";
        readonly beta1: "f32";
        readonly beta2: "f32";
        readonly eps: "f32";
        readonly weightDecay: "f32";
        /** 1 / (1 − β₁ᵗ), 1 / (1 − β₂ᵗ) */
        readonly invC1: "f32";
        readonly invC2: "f32";
    }>;
    rnnStep: Block<{
        readonly cell: "i32";
        readonly batch: "i32";
        readonly steps: "i32";
        readonly hidden: "i32";
        readonly t: "i32";
        readonly gates: "i32";
        readonly saved: "i32";
        readonly xproj: "ptr";
        readonly hproj: "ptr";
        readonly hseq: "ptr";
        readonly state: "ptr";
        readonly hprev: "ptr";
        readonly hcur: "ptr";
    }>;
    rnnStepGrad: Block<{
        readonly cell: "i32";
        readonly batch: "i32";
        readonly steps: "i32";
        readonly hidden: "i32";
        readonly t: "i32";
        readonly gates: "i32";
        readonly saved: "i32";
        readonly seq: "i32";
        readonly state: "ptr";
        readonly hprev: "ptr";
        readonly dh: "ptr";
        readonly dhrec: "ptr";
        readonly carry: "ptr";
        readonly dxproj: "ptr";
        readonly dhproj: "ptr";
        readonly dhcur: "ptr";
    }>;
};
/** The op codes the WASM kernels switch on. */
export declare const wasmCodes: (import("../../kernels/spec.ts").OpCodes<import("../../kernels/elementwise.ts").BinaryOp> | import("../../kernels/spec.ts").OpCodes<"relu" | "tanh" | "softsign" | "gelu" | "sigmoid" | "exp" | "log" | "neg" | "square" | "sqrt"> | import("../../kernels/spec.ts").OpCodes<"simple" | "gru" | "lstm">)[];
/**
 * What assembly/elementwise.ts (`source`) lacks: a unary op declared to run in WASM needs a
 * `case UNARY_<OP>` in both its value and its derivative switch. The build stops on any.
 */
export declare function missingAssemblyCases(source: string, specs?: Readonly<Record<string, UnaryOpSpec>>): string[];
/**
 * Merges neighbouring axes that every operand walks contiguously (or not at all), so a row
 * loop in WASM covers as much as possible: [shape, ...strides] → the same, fewer axes.
 */
export declare function collapse(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): {
    shape: number[];
    strides: number[][];
};
export declare const fastKernels: FastKernels;
export {};
