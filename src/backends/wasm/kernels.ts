/**
 * The WASM table: every kernel, by registry name, maps to its hand-written WASM (assembly/) or to
 * an explicit 'reference' (its plain loop on the shared memory); the type makes a kernel without
 * an entry a compile error. Each fast kernel packs its parameter block by field name from the
 * blocks declared below, whose AssemblyScript readers `npm run build:wasm` generates
 * (scripts/gen-assembly.ts), splits the work over the threads and calls its export
 * (assembly/index.ts).
 */
import type { KernelName, ParamsOf } from '../../kernels/registry.ts';
import type { Conv2dParams } from '../../kernels/conv2d.ts';
import { binaryCodes, unaryCodes, unarySpec, unarySpecs, type UnaryOp, type UnaryOpSpec } from '../../kernels/elementwise.ts';
import { bnShapeFields } from '../../kernels/batchnorm.ts';
import { poolFields } from '../../kernels/pool.ts';
import { rowsFields } from '../../kernels/softmax.ts';
import { gatesOf, rnnCellCodes, savedOf, type RnnStepParams } from '../../kernels/rnn.ts';
import { slotStride, stateCount } from '../../kernels/optimizers.ts';
import { block, opCodes, type Block, type FieldType, type Fields, type Values } from '../../kernels/spec.ts';

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
type FastKernels = { readonly [K in KernelName]: FastKernel<ParamsOf<K>> | 'reference' };

/** Counts are i32 in AssemblyScript: a u32 field of a kernel's declaration becomes an i32 here. */
type Signed<F extends Fields> = { readonly [K in keyof F]: F[K] extends 'u32' ? 'i32' : F[K] };
function signed<const F extends Fields>(fields: F): Signed<F> {
  const out: Record<string, FieldType> = {};
  for (const [k, t] of Object.entries(fields)) out[k] = t === 'u32' ? 'i32' : t;
  return out as Signed<F>;
}

/** Every geometry field of Conv2dParams (the fused activation and bias gradient run as TS passes around the export): one added there does not compile until it is added here. */
const convGeometryFields = {
  n: 'i32', c: 'i32', h: 'i32', w: 'i32', k: 'i32', kh: 'i32', kw: 'i32', stride: 'i32', padTop: 'i32', padLeft: 'i32', oh: 'i32', ow: 'i32',
} as const satisfies { readonly [K in Exclude<keyof Conv2dParams, 'bias' | 'activation' | 'biasGrad'>]: 'i32' };
/**
 * The geometry every conv block starts with (each spreads convGeometryFields first, so the
 * offsets are the same): assembly/conv2d.ts's shared helpers read it whichever export's block they
 * are given. Not an export's block itself, so not in wasmParams.
 */
export const wasmConvGeometry = block('conv2dGeometry', convGeometryFields);
const bnShape = signed(bnShapeFields);
const rowsShape = signed(rowsFields);
const pool = signed(poolFields);

/** The WASM parameter blocks, one per export: `ptr` fields are tensors, the rest scalars. */
export const wasmParams = {
  matmul: block('matmul', {
    m: 'i32', n: 'i32', k: 'i32',
    /** A[i, p] is at a + 4 (i·aRowStride + p·aDepthStride); B[p, j] at b + 4 (p·bDepthStride + j·bColStride) */
    a: 'ptr', aRowStride: 'i32', aDepthStride: 'i32', b: 'ptr', bDepthStride: 'i32', bColStride: 'i32',
    c: 'ptr', bias: 'ptr', splitRows: 'i32',
    /** 1: A·Bᵀ with both operands contiguous along the depth, by dot products (assembly/gemm-nt.ts), no packing */
    dot: 'i32',
  }),
  /** direct: assembly/conv2d-direct.ts's kernel, with `wide` its padded row of positions and `columns` one buffer of k such rows a thread */
  conv2d: block('conv2d', { ...convGeometryFields, x: 'ptr', weights: 'ptr', bias: 'ptr', y: 'ptr', block: 'i32', wide: 'i32', columns: 'ptr', direct: 'i32' }),
  conv2dGradInput: block('conv2dGradInput', { ...convGeometryFields, dy: 'ptr', weights: 'ptr', dx: 'ptr', columns: 'ptr', wide: 'i32' }),
  /** db: the bias gradient, taken in the same pass (0: none) */
  conv2dGradWeight: block('conv2dGradWeight', { ...convGeometryFields, x: 'ptr', dy: 'ptr', dw: 'ptr', db: 'ptr', partials: 'ptr', direct: 'i32' }),
  unary: block('unary', { op: 'i32', x: 'ptr', y: 'ptr' }),
  unaryGrad: block('unaryGrad', { op: 'i32', x: 'ptr', dy: 'ptr', dx: 'ptr' }),
  affine: block('affine', { x: 'ptr', y: 'ptr', scale: 'f32', shift: 'f32' }),
  axpy: block('axpy', { x: 'ptr', y: 'ptr', alpha: 'f32' }),
  binary: block('binary', { op: 'i32', a: 'ptr', b: 'ptr', y: 'ptr', rank: 'i32', shape: 'i32x8', aStrides: 'i32x8', bStrides: 'i32x8' }),
  broadcast: block('broadcast', { x: 'ptr', y: 'ptr', rank: 'i32', shape: 'i32x8', strides: 'i32x8', scale: 'f32' }),
  sumTo: block('sumTo', { x: 'ptr', y: 'ptr', rank: 'i32', outLength: 'i32', shape: 'i32x8', outStrides: 'i32x8', scale: 'f32' }),
  /** element i is kept when hash32(hash32(seed) + i) ≥ threshold = ⌈rate · 2³²⌉ */
  dropout: block('dropout', { x: 'ptr', y: 'ptr', seed: 'u32', threshold: 'u32', keep: 'f32' }),
  maxPool: block('maxPool', { ...pool, x: 'ptr', y: 'ptr' }),
  maxPoolGrad: block('maxPoolGrad', { ...pool, x: 'ptr', dy: 'ptr', dx: 'ptr' }),
  avgPool: block('avgPool', { ...pool, x: 'ptr', y: 'ptr' }),
  avgPoolGrad: block('avgPoolGrad', { ...pool, dy: 'ptr', dx: 'ptr' }),
  /** op: the activation's UNARY_ code */
  maxPoolAct: block('maxPoolAct', { ...pool, op: 'i32', x: 'ptr', y: 'ptr' }),
  /** y: the fused op's output, act′ is read from it */
  maxPoolActGrad: block('maxPoolActGrad', { ...pool, op: 'i32', x: 'ptr', y: 'ptr', dy: 'ptr', dx: 'ptr' }),
  bnStats: block('bnStats', { ...bnShape, x: 'ptr', mean: 'ptr', variance: 'ptr' }),
  bnForward: block('bnForward', { ...bnShape, x: 'ptr', mean: 'ptr', variance: 'ptr', gamma: 'ptr', beta: 'ptr', y: 'ptr', eps: 'f32' }),
  bnBackward: block('bnBackward', { ...bnShape, x: 'ptr', dy: 'ptr', mean: 'ptr', variance: 'ptr', gamma: 'ptr', dx: 'ptr', dgamma: 'ptr', dbeta: 'ptr', eps: 'f32' }),
  /** running ← momentum · running + rate · batch */
  ema: block('ema', { batch: 'ptr', running: 'ptr', momentum: 'f32', rate: 'f32' }),
  softmax: block('softmax', { ...rowsShape, x: 'ptr', y: 'ptr' }),
  softmaxGrad: block('softmaxGrad', { ...rowsShape, y: 'ptr', dy: 'ptr', dx: 'ptr' }),
  crossEntropy: block('crossEntropy', { ...rowsShape, x: 'ptr', labels: 'ptr', loss: 'ptr' }),
  crossEntropyGrad: block('crossEntropyGrad', { ...rowsShape, x: 'ptr', labels: 'ptr', dloss: 'ptr', dx: 'ptr' }),
  countCorrect: block('countCorrect', { ...rowsShape, logits: 'ptr', labels: 'ptr', acc: 'ptr' }),
  sgd: block('sgd', { grad: 'ptr', param: 'ptr', lr: 'f32', weightDecay: 'f32' }),
  momentum: block('momentum', { grad: 'ptr', param: 'ptr', velocity: 'ptr', nesterov: 'i32', lr: 'f32', weightDecay: 'f32', momentum: 'f32' }),
  adam: block('adam', {
    grad: 'ptr', param: 'ptr', m: 'ptr', v: 'ptr', decoupled: 'i32', lr: 'f32', beta1: 'f32', beta2: 'f32', eps: 'f32', weightDecay: 'f32',
    /** 1 / (1 − β₁ᵗ), 1 / (1 − β₂ᵗ) */
    invC1: 'f32', invC2: 'f32',
  }),
  rnnStep: block('rnnStep', {
    cell: 'i32', batch: 'i32', steps: 'i32', hidden: 'i32', t: 'i32', gates: 'i32', saved: 'i32',
    xproj: 'ptr', hproj: 'ptr', hseq: 'ptr', state: 'ptr', hprev: 'ptr', hcur: 'ptr',
  }),
  /** the roofline loop (assembly/peak.ts): `iterations` steps of 12 chains c ← c·a + b a unit; sums: one float a chunk */
  fmaPeak: block('fmaPeak', { iterations: 'i32', a: 'f32', b: 'f32', sums: 'ptr' }),
  rnnStepGrad: block('rnnStepGrad', {
    cell: 'i32', batch: 'i32', steps: 'i32', hidden: 'i32', t: 'i32', gates: 'i32', saved: 'i32', seq: 'i32',
    state: 'ptr', hprev: 'ptr', dh: 'ptr', dhrec: 'ptr', carry: 'ptr', dxproj: 'ptr', dhproj: 'ptr', dhcur: 'ptr',
  }),
};

/** The op codes the WASM kernels switch on. */
export const wasmCodes = [unaryCodes, binaryCodes, rnnCellCodes];

/**
 * What assembly/elementwise.ts (`source`) lacks: a unary op declared to run in WASM needs a
 * `case UNARY_<OP>` in both its value and its derivative switch. The build stops on any.
 */
export function missingAssemblyCases(source: string, specs: Readonly<Record<string, UnaryOpSpec>> = unarySpecs): string[] {
  const codes = opCodes('UNARY', Object.keys(specs));
  return Object.entries(specs)
    .filter(([, spec]) => spec.wasm !== 'reference')
    .filter(([op]) => (source.match(new RegExp(`\\bcase ${codes.constant(op)}\\b`, 'g')) ?? []).length < 2)
    .map(([op, spec]) => `unary op '${op}' is declared wasm: '${spec.wasm}' (src/kernels/elementwise.ts) but assembly/elementwise.ts has no \`case ${codes.constant(op)}\` in scalarOp and scalarDerivative; implement it there or declare wasm: 'reference'`);
}

/** Partial sums of a weight gradient: enough chunks for 16 threads, whatever the machine has. */
const GRAD_WEIGHT_CHUNKS = 16;

/** Columns of the GEMM micro-tile (assembly/gemm.ts): column splits are multiples of it. */
const NR = 8;
/** The tile of the dot-product kernel (assembly/gemm-nt.ts): splits are multiples of it. */
const DOT_TILE_ROWS = 2;
const DOT_TILE_COLUMNS = 4;
/**
 * A·Bᵀ goes to the dot-product kernel when m or n is at most this (a batch, or a layer's units):
 * there packing costs the packed GEMM more than its 6×8 tile saves (measured by
 * bench/ab-kernels.ts on one thread: ×1.1 at 64·9216→128, ×1.2 at 32·784→128, ×2 at 256·256→10,
 * but ×0.94 at 256·800→256).
 */
const DOT_MAX_SIDE = 128;

const geometry = ({ n, c, h, w, k, kh, kw, stride, padTop, padLeft, oh, ow }: Conv2dParams) => ({ n, c, h, w, k, kh, kw, stride, padTop, padLeft, oh, ow });
const convFlops = (p: Conv2dParams) => 2 * p.n * p.k * p.c * p.kh * p.kw * p.oh * p.ow;

/** The input gradient takes the wide layout up to this output width. */
const WIDE_INPUT_GRAD_MAX_OW = 16;
/** Columns of one B block (assembly/gemm.ts's NC): a wide row must fit in one. */
const NC = 2048;
/**
 * The padded width of the wide layout (assembly/conv2d.ts) where it applies, else 0: stride 1 and
 * no padding, so that every tap reads its plane contiguously, and ow < w (else wide is plain).
 */
export function wideWidth(p: Conv2dParams): number {
  if (p.stride !== 1 || p.padTop !== 0 || p.padLeft !== 0 || p.oh !== p.h - p.kh + 1 || p.ow !== p.w - p.kw + 1 || p.ow === p.w) return 0;
  const padded = Math.ceil(((p.oh - 1) * p.w + p.ow) / NR) * NR;
  return padded <= NC ? padded : 0;
}

/** assembly/gemm.ts's per-thread scratch regions the direct kernels use: PACK_A (MC×KC floats) and PACK_B (KC×NC). */
const PACK_A_BYTES = 120 * 256 * 4;
const PACK_B_BYTES = 256 * NC * 4;

/** The direct forward needs this many taps (c·kh·kw) to beat the GEMM: below, storing its tiles costs more than packing. */
const DIRECT_FORWARD_MIN_TAPS = 32;

/**
 * Whether a convolution pass runs on assembly/conv2d-direct.ts's kernels (stride 1, no padding:
 * the wide layout), which pack no input, rather than the im2col GEMM. Measured at the presets'
 * shapes (bench/ab-kernels.ts): the weight gradient is faster at all of them, the forward pass
 * from about 32 taps (216: 1.15×; 25 and 9: 0.96×). The GEMM stays for strides, padding, and
 * operands too large for a thread's scratch: the tap offsets in PACK_A, and in PACK_B the packed
 * weights (forward) or one image's transposed dY (weight gradient).
 */
export function directConv(p: Conv2dParams, pass: 'forward' | 'weight'): boolean {
  if (wideWidth(p) === 0) return false;
  const taps = p.c * p.kh * p.kw;
  if (pass === 'forward' && taps < DIRECT_FORWARD_MIN_TAPS) return false;
  const positions = (p.oh - 1) * p.w + p.ow;
  const packed = pass === 'forward' ? p.k * taps : positions * Math.ceil(p.k / NR) * NR;
  return taps * 4 <= PACK_A_BYTES && packed * 4 <= PACK_B_BYTES;
}

/**
 * Merges neighbouring axes that every operand walks contiguously (or not at all), so a row
 * loop in WASM covers as much as possible: [shape, ...strides] → the same, fewer axes.
 */
export function collapse(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): { shape: number[]; strides: number[][] } {
  const outShape = [shape[shape.length - 1] ?? 1];
  const outStrides = strides.map((s) => [s[s.length - 1] ?? 0]);
  for (let d = shape.length - 2; d >= 0; d--) {
    const inner = outShape[0];
    if (strides.every((s, i) => s[d] === outStrides[i][0] * inner)) outShape[0] *= shape[d];
    else {
      outShape.unshift(shape[d]);
      strides.forEach((s, i) => outStrides[i].unshift(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Lane ops cost about a flop an element, per-element f64 ones ~20: it decides when to use the workers. */
const unaryCost = (op: UnaryOp) => (unarySpec(op).wasm === 'lanes' ? 1 : 20);

const rowStrides = (shape: readonly number[]) => {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
};

/** y ← act(y) over n floats, by the unary export. */
function activateInPlace(ctx: Ctx, op: UnaryOp, y: number, n: number): void {
  ctx.parallel('unary', ctx.setParams(wasmParams.unary, { op: unaryCodes.code(op), x: y, y }), n, n * unaryCost(op), 16);
}

/** The sumTo export over `shape`, into `out` at `outStrides` (0 along summed axes). */
function sumInto(ctx: Ctx, x: number, out: number, shape: number[], outStrides: number[]): void {
  (fastKernels.sumTo as FastKernel<ParamsOf<'sumTo'>>)(ctx, [x], [out], { shape, outStrides, scale: 1 }, []);
}

export const fastKernels: FastKernels = {
  matmul(ctx, [a, b, bias], [c, sums], { m, n, k, transA, transB, bias: hasBias, activation, rowSums }) {
    const splitRows = m >= n;
    const dot = transB && !transA && Math.min(m, n) <= DOT_MAX_SIDE;
    const params = ctx.setParams(wasmParams.matmul, {
      m, n, k, a, aRowStride: transA ? 1 : k, aDepthStride: transA ? m : 1, b, bDepthStride: transB ? 1 : n, bColStride: transB ? k : 1,
      c, bias: hasBias ? bias : 0, splitRows: splitRows ? 1 : 0, dot: dot ? 1 : 0,
    });
    // Each chunk reads the whole of the other operand from L2 or beyond: two chunks a thread.
    if (dot) ctx.parallel('matmul', params, splitRows ? m : n, 2 * m * n * k, splitRows ? DOT_TILE_ROWS : DOT_TILE_COLUMNS, 2);
    // Each chunk packs the whole of the other operand: two chunks a thread keep that cheap.
    else ctx.parallel('matmul', params, splitRows ? m : n, 2 * m * n * k, splitRows ? ctx.tileRows : NR, 2);
    // The epilogue and the row sums as passes after the GEMM: the micro-kernels stay as they are.
    if (activation) activateInPlace(ctx, activation, c, m * n);
    if (rowSums) sumInto(ctx, a, sums, transA ? [k, m] : [m, k], transA ? [0, 1] : [1, 0]);
  },

  conv2d(ctx, [x, w, bias], [y], p) {
    // Split by images, or by blocks of output pixels when the batch is smaller than the threads.
    // The direct kernel when it applies and every thread gets an image.
    const pixels = p.oh * p.ow;
    const direct = p.n >= ctx.threads && directConv(p, 'forward');
    const wide = direct ? wideWidth(p) : 0;
    const per = p.n >= ctx.threads ? 1 : Math.ceil(ctx.threads / p.n);
    const block = Math.ceil(pixels / per / NR) * NR;
    const columns = wide ? ctx.workspace('wide', ctx.threads * p.k * wide * 4) : 0;
    const params = ctx.setParams(wasmParams.conv2d, { ...geometry(p), x, weights: w, bias: p.bias ? bias : 0, y, block, wide, columns, direct: direct ? 1 : 0 });
    ctx.parallel('conv2d', params, p.n * Math.ceil(pixels / block), convFlops(p));
    if (p.activation) activateInPlace(ctx, p.activation, y, p.n * p.k * pixels);
  },

  conv2dGradInput(ctx, [dy, w], [dx], p) {
    // Per image: columns = Wᵀ · dy (a GEMM), then col2im adds them back onto dx. Measured faster
    // than the stride-1 alternative, a transposed convolution, which packs twice as much.
    // In the wide layout the column rows go back as one run each: on short output rows only
    // (measured: it wins on 10-pixel rows, where im2col copies short runs, and loses on 24).
    const wide = p.ow <= WIDE_INPUT_GRAD_MAX_OW ? wideWidth(p) : 0;
    const cols = ctx.workspace('columns', ctx.threads * (p.c * p.kh * p.kw + p.k) * (wide || p.oh * p.ow) * 4);
    ctx.parallel('conv2dGradInput', ctx.setParams(wasmParams.conv2dGradInput, { ...geometry(p), dy, weights: w, dx, columns: cols, wide }), p.n, convFlops(p));
  },

  conv2dGradWeight(ctx, [x, dy], [dw, db], p) {
    // A fixed number of chunks of images, each adding into its own partial sums (chunk 0's are dw
    // and db), then added up in chunk order: the sum's order, and so its bits, depend on no thread
    // count. The bias gradient (dY's row sums) comes from the same pass, while dY is in cache.
    const chunks = Math.min(p.n, GRAD_WEIGHT_CHUNKS);
    const count = p.k * p.c * p.kh * p.kw;
    const slot = count + (p.biasGrad ? p.k : 0);
    const partials = ctx.workspace('partials', Math.max(1, chunks - 1) * slot * 4);
    ctx.exports.zero(dw, count);
    if (p.biasGrad) ctx.exports.zero(db, p.k);
    ctx.exports.zero(partials, (chunks - 1) * slot);
    const params = ctx.setParams(wasmParams.conv2dGradWeight, { ...geometry(p), x, dy, dw, db: p.biasGrad ? db : 0, partials, direct: directConv(p, 'weight') ? 1 : 0 });
    ctx.parallelChunks('conv2dGradWeight', params, p.n, chunks);
    for (let c = 1; c < chunks; c++) {
      const at = partials + (c - 1) * slot * 4;
      ctx.exports.addTo(dw, at, count);
      if (p.biasGrad) ctx.exports.addTo(db, at + count * 4, p.k);
    }
  },

  unary(ctx, [x], [y], { op }, [n]) {
    if (unarySpec(op).wasm === 'reference') return 'reference';
    ctx.parallel('unary', ctx.setParams(wasmParams.unary, { op: unaryCodes.code(op), x, y }), n, n * unaryCost(op), 16);
  },
  unaryGrad(ctx, [x, dy], [dx], { op }, [n]) {
    if (unarySpec(op).wasm === 'reference') return 'reference';
    ctx.parallel('unaryGrad', ctx.setParams(wasmParams.unaryGrad, { op: unaryCodes.code(op), x, dy, dx }), n, n * unaryCost(op), 16);
  },
  affine(ctx, [x], [y], { scale, shift }, [n]) {
    ctx.parallel('affine', ctx.setParams(wasmParams.affine, { x, y, scale, shift }), n, n, 16);
  },
  axpy(ctx, [x], [y], { alpha }, [n]) {
    ctx.parallel('axpy', ctx.setParams(wasmParams.axpy, { x, y, alpha }), n, n, 16);
  },
  binary(ctx, [a, b], [y], p) {
    const c = collapse(p.shape, [p.aStrides, p.bStrides, rowStrides(p.shape)]);
    const rows = c.shape.slice(0, -1).reduce((q, d) => q * d, 1);
    const size = rows * c.shape[c.shape.length - 1];
    const params = ctx.setParams(wasmParams.binary, { op: binaryCodes.code(p.op), a, b, y, rank: c.shape.length, shape: c.shape, aStrides: c.strides[0], bStrides: c.strides[1] });
    ctx.parallel('binary', params, rows, size);
  },
  broadcast(ctx, [x], [y], p) {
    const c = collapse(p.shape, [p.strides, rowStrides(p.shape)]);
    const rows = c.shape.slice(0, -1).reduce((q, d) => q * d, 1);
    const params = ctx.setParams(wasmParams.broadcast, { x, y, rank: c.shape.length, shape: c.shape, strides: c.strides[0], scale: p.scale });
    ctx.parallel('broadcast', params, rows, rows * c.shape[c.shape.length - 1]);
  },
  sumTo(ctx, [x], [y], p) {
    const c = collapse(p.shape, [p.outStrides, rowStrides(p.shape)]);
    const rows = c.shape.slice(0, -1).reduce((q, d) => q * d, 1);
    const outLength = p.shape.reduce((q, d, i) => (p.outStrides[i] === 0 ? q : q * d), 1);
    const params = ctx.setParams(wasmParams.sumTo, { x, y, rank: c.shape.length, outLength, shape: c.shape, outStrides: c.strides[0], scale: p.scale });
    // One thread: every row may add into the same outputs.
    ctx.parallel('sumTo', params, rows, 0);
  },
  dropout(ctx, [x], [y], { rate, seed }, [n]) {
    const threshold = Math.min(Math.ceil(rate * 2 ** 32), 2 ** 32 - 1) >>> 0;
    ctx.parallel('dropout', ctx.setParams(wasmParams.dropout, { x, y, seed: seed >>> 0, threshold, keep: 1 / (1 - rate) }), n, n * 4, 16);
  },
  maxPool(ctx, [x], [y], p) {
    ctx.parallel('maxPool', ctx.setParams(wasmParams.maxPool, { ...p, x, y }), p.planes, p.planes * p.h * p.w);
  },
  maxPoolGrad(ctx, [x, dy], [dx], p) {
    ctx.parallel('maxPoolGrad', ctx.setParams(wasmParams.maxPoolGrad, { ...p, x, dy, dx }), p.planes, 2 * p.planes * p.h * p.w);
  },
  avgPool(ctx, [x], [y], p) {
    ctx.parallel('avgPool', ctx.setParams(wasmParams.avgPool, { ...p, x, y }), p.planes, p.planes * p.h * p.w);
  },
  avgPoolGrad(ctx, [dy], [dx], p) {
    ctx.parallel('avgPoolGrad', ctx.setParams(wasmParams.avgPoolGrad, { ...p, dy, dx }), p.planes, 2 * p.planes * p.h * p.w);
  },
  maxPoolAct(ctx, [x], [y], { op, ...p }) {
    ctx.parallel('maxPoolAct', ctx.setParams(wasmParams.maxPoolAct, { ...p, op: unaryCodes.code(op), x, y }), p.planes, p.planes * p.h * p.w);
  },
  maxPoolActGrad(ctx, [x, y, dy], [dx], { op, ...p }) {
    ctx.parallel('maxPoolActGrad', ctx.setParams(wasmParams.maxPoolActGrad, { ...p, op: unaryCodes.code(op), x, y, dy, dx }), p.planes, 2 * p.planes * p.h * p.w);
  },
  bnStats(ctx, [x], [mean, variance, runningMean, runningVariance], p) {
    ctx.parallel('bnStats', ctx.setParams(wasmParams.bnStats, { n: p.n, c: p.c, s: p.s, x, mean, variance }), p.c, 3 * p.n * p.c * p.s);
    if (p.momentum === undefined) return;
    const count = p.n * p.s;
    const unbiased = count > 1 ? count / (count - 1) : 1;
    ctx.parallel('ema', ctx.setParams(wasmParams.ema, { batch: mean, running: runningMean, momentum: p.momentum, rate: 1 - p.momentum }), p.c, 0, 16);
    ctx.parallel('ema', ctx.setParams(wasmParams.ema, { batch: variance, running: runningVariance, momentum: p.momentum, rate: (1 - p.momentum) * unbiased }), p.c, 0, 16);
  },
  bnForward(ctx, [x, mean, variance, gamma, beta], [y], p) {
    ctx.parallel('bnForward', ctx.setParams(wasmParams.bnForward, { n: p.n, c: p.c, s: p.s, eps: p.eps, x, mean, variance, gamma, beta, y }), p.c, 2 * p.n * p.c * p.s);
    if (p.activation) activateInPlace(ctx, p.activation, y, p.n * p.c * p.s);
  },
  bnBackward(ctx, [x, dyOut, mean, variance, gamma, activated], [dx, dgamma, dbeta], p) {
    let dy = dyOut;
    if (p.activation) {
      // relu′ read from the output equals relu′ of its input, so the unaryGrad export gates dy;
      // the other activations' derivatives in their output have no export: reference loop.
      if (p.activation !== 'relu') return 'reference';
      const size = p.n * p.c * p.s;
      dy = ctx.workspace('gated', size * 4);
      ctx.parallel('unaryGrad', ctx.setParams(wasmParams.unaryGrad, { op: unaryCodes.code('relu'), x: activated, dy: dyOut, dx: dy }), size, size, 16);
    }
    ctx.parallel('bnBackward', ctx.setParams(wasmParams.bnBackward, { ...p, x, dy, mean, variance, gamma, dx, dgamma, dbeta }), p.c, 6 * p.n * p.c * p.s);
  },
  ema(ctx, [batch], [running], { momentum, correction }, [n]) {
    ctx.parallel('ema', ctx.setParams(wasmParams.ema, { batch, running, momentum, rate: (1 - momentum) * correction }), n, 2 * n, 16);
  },
  softmax(ctx, [x], [y], p) {
    ctx.parallel('softmax', ctx.setParams(wasmParams.softmax, { ...p, x, y }), p.rows, 30 * p.rows * p.cols);
  },
  softmaxGrad(ctx, [y, dy], [dx], p) {
    ctx.parallel('softmaxGrad', ctx.setParams(wasmParams.softmaxGrad, { ...p, y, dy, dx }), p.rows, 4 * p.rows * p.cols);
  },
  crossEntropy(ctx, [x, labels], [loss], p) {
    ctx.parallel('crossEntropy', ctx.setParams(wasmParams.crossEntropy, { ...p, x, labels, loss }), p.rows, 30 * p.rows * p.cols);
  },
  crossEntropyGrad(ctx, [x, labels, dloss], [dx], p) {
    ctx.parallel('crossEntropyGrad', ctx.setParams(wasmParams.crossEntropyGrad, { ...p, x, labels, dloss, dx }), p.rows, 60 * p.rows * p.cols);
  },
  // The mean loss and its gradient through the per-row exports (WASM calls cost no dispatch).
  crossEntropyMean(ctx, [x, labels], [loss], p) {
    const rows = ctx.workspace('crossEntropyRows', p.rows * 4);
    (fastKernels.crossEntropy as FastKernel<ParamsOf<'crossEntropy'>>)(ctx, [x, labels], [rows], p, []);
    (fastKernels.sumTo as FastKernel<ParamsOf<'sumTo'>>)(ctx, [rows], [loss], { shape: [p.rows], outStrides: [0], scale: 1 / p.rows }, []);
  },
  crossEntropyMeanGrad(ctx, [x, labels, dloss], [dx], p) {
    const rows = ctx.workspace('crossEntropyRows', p.rows * 4);
    (fastKernels.broadcast as FastKernel<ParamsOf<'broadcast'>>)(ctx, [dloss], [rows], { shape: [p.rows], strides: [0], scale: 1 / p.rows }, []);
    (fastKernels.crossEntropyGrad as FastKernel<ParamsOf<'crossEntropyGrad'>>)(ctx, [x, labels, rows], [dx], p, []);
  },
  countCorrect(ctx, [logits, labels], [acc], p) {
    // One thread: every row adds into the one count.
    ctx.parallel('countCorrect', ctx.setParams(wasmParams.countCorrect, { ...p, logits, labels, acc }), p.rows, 0);
  },
  sgd(ctx, [grad], [param], { lr, weightDecay }, [n]) {
    ctx.parallel('sgd', ctx.setParams(wasmParams.sgd, { grad, param, lr, weightDecay }), n, 2 * n, 16);
  },
  momentum(ctx, [grad], [param, velocity], { lr, weightDecay, momentum, nesterov }, [n]) {
    ctx.parallel('momentum', ctx.setParams(wasmParams.momentum, { grad, param, velocity, nesterov: nesterov ? 1 : 0, lr, weightDecay, momentum }), n, 4 * n, 16);
  },
  updateGroup(ctx, grads, targets, { rule, offsets }, lengths) {
    const state = targets[grads.length];
    grads.forEach((g, j) => {
      // Pointers are byte offsets: slot s of parameter j starts at state + 4 · (offset + s · stride).
      const slot = (s: number) => state + 4 * (offsets[j] + s * slotStride(lengths[j]));
      const t = [targets[j], ...Array.from({ length: stateCount[rule.kind] }, (_, s) => slot(s))];
      if (rule.kind === 'sgd') (fastKernels.sgd as FastKernel<ParamsOf<'sgd'>>)(ctx, [g], t, rule, [lengths[j]]);
      else if (rule.kind === 'momentum') (fastKernels.momentum as FastKernel<ParamsOf<'momentum'>>)(ctx, [g], t, rule, [lengths[j]]);
      else (fastKernels.adam as FastKernel<ParamsOf<'adam'>>)(ctx, [g], t, rule, [lengths[j]]);
    });
  },
  activationGrad(ctx, [y, dy], [dx], { op }, [n]) {
    // relu′ from the output is relu′ of the input: the unaryGrad export; the others have no export.
    if (op !== 'relu') return 'reference';
    ctx.parallel('unaryGrad', ctx.setParams(wasmParams.unaryGrad, { op: unaryCodes.code('relu'), x: y, dy, dx }), n, n, 16);
  },
  adam(ctx, [grad], [param, m, v], { lr, beta1, beta2, eps, step, weightDecay, decoupled }, [n]) {
    const params = ctx.setParams(wasmParams.adam, {
      grad, param, m, v, decoupled: decoupled ? 1 : 0, lr, beta1, beta2, eps, weightDecay, invC1: 1 / (1 - beta1 ** step), invC2: 1 / (1 - beta2 ** step),
    });
    ctx.parallel('adam', params, n, 12 * n, 16);
  },
  rnnStep(ctx, [xproj, hproj], [hseq, state, hprev, hcur], p) {
    const params = ctx.setParams(wasmParams.rnnStep, { ...rnnShape(p), xproj, hproj, hseq, state, hprev, hcur });
    ctx.parallel('rnnStep', params, p.batch, 30 * p.batch * p.hidden * gatesOf[p.cell]);
  },
  rnnStepGrad(ctx, [state, hprev, dh, dhrec], [carry, dxproj, dhproj, dhcur], p) {
    const params = ctx.setParams(wasmParams.rnnStepGrad, { ...rnnShape(p), seq: p.seq ? 1 : 0, state, hprev, dh, dhrec, carry, dxproj, dhproj, dhcur });
    ctx.parallel('rnnStepGrad', params, p.batch, 30 * p.batch * p.hidden * gatesOf[p.cell]);
  },
};

function rnnShape(p: RnnStepParams) {
  return { cell: rnnCellCodes.code(p.cell), batch: p.batch, steps: p.steps, hidden: p.hidden, t: p.t, gates: gatesOf[p.cell], saved: savedOf[p.cell] };
}
