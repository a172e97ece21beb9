/**
 * Matrix products: the dense layer's forward and both of its gradients are one kernel, an
 * instance of the tiled GEMM template (shaders/gemm.wgsl through shaders/matmul.wgsl).
 */
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { sumTo } from './reduce.ts';
import { describe } from './shape.ts';
import { activationGradKernel, applyActivation, epilogueFlags, type FusedActivation } from './activation.ts';
import { ceilDiv } from './gpu.ts';
import { block, shaderFamily, type EntrySpec } from './spec.ts';
import { tileCols, tileConsts, tileRows } from './gemm-tiles.ts';

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
  /** Applied to every element of C after the bias, in the same pass. */
  activation?: FusedActivation;
  /** A second output of m values: the row sums of op(A) (a dense layer's bias gradient). */
  rowSums?: boolean;
}

/** flags: bit 0 bias, bit 1 row sums, bits 2+ the activation (`epilogueFlags`) */
const gemmEntry = {
  uniforms: block('pm', { m: 'u32', n: 'u32', k: 'u32', flags: 'u32' }),
  // mb4 is B again when VEC_B, ma4 A again when VEC_A (aligned vec4 loads); unread bindings are bound to small dummies
  inputs: ['ma', 'mb', 'mbias', 'mb4', 'ma4'],
  outputs: ['mc', 'msums'],
} as const satisfies EntrySpec;

/** shaders/matmul.wgsl: the hooks of the GEMM template (shaders/gemm.wgsl), whose two entry points it runs. */
export const matmulShader = shaderFamily('matmul', { gemm: gemmEntry }, [], { vec4: ['mb4', 'ma4'], template: 'gemm' });

/** shaders/matmul_regs.wgsl: a CPU adapter's matmul (the register tile's), flags as the template's. */
export const matmulRegsShader = shaderFamily('matmul_regs', {
  matmul_regs: { uniforms: block('pm', { m: 'u32', n: 'u32', k: 'u32', flags: 'u32' }), inputs: ['ma', 'mb', 'mbias', 'mb4'], outputs: ['mc', 'msums'] },
}, [], { vec4: ['mb4'] });

export const matmulKernel: Kernel<MatmulParams> = {
  name: 'matmul',
  cpu([a, b, bias], [c, sums], { m, n, k, transA, transB, activation, rowSums }) {
    const at = (i: number, p: number) => (transA ? a[p * m + i] : a[i * k + p]);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) acc += at(i, p) * (transB ? b[j * k + p] : b[p * n + j]);
        c[i * n + j] = acc;
      }
      if (rowSums) {
        let s = 0;
        for (let p = 0; p < k; p++) s += at(i, p);
        sums[i] = s;
      }
    }
    applyActivation(activation, c);
  },
  gpu(ctx, [a, b, bias], [c, sums], { m, n, k, transA, transB, activation, rowSums }) {
    const width = n + (rowSums ? 1 : 0);
    const tile = ctx.gemmTile(`matmul${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`, m, width, k);
    const vecB = !transB && n % 4 === 0;
    const max = ctx.limits.maxWorkgroupsPerDimension;
    // Bindings the shader declares but this variant never reads or writes get small dummies.
    const dummy = () => ctx.scratch(4);
    if (tile.bk === 0) {
      const groups = ceilDiv(n, 64);
      ctx.dispatch(matmulRegsShader.dispatch('matmul_regs', {
        key: { TRANS_A: transA, TRANS_B: transB, ROW_SUMS: !!rowSums, VEC_B: vecB },
        inputs: { ma: a, mb: vecB ? dummy() : b, mbias: bias ?? dummy(), mb4: vecB ? b : dummy() }, outputs: { mc: c, msums: rowSums ? sums : dummy() },
        uniforms: { m, n, k, flags: epilogueFlags(!!bias, false, activation) },
        workgroups: [Math.min(groups, max), ceilDiv(m, 16), ceilDiv(groups, max)],
      }));
      return;
    }
    const colGroups = ceilDiv(width, tileCols(tile));
    const vecA = !transA && k % 4 === 0;
    ctx.dispatch(matmulShader.dispatch('gemm', {
      consts: tileConsts(tile),
      key: { TRANS_A: transA, TRANS_B: transB, VEC_B: vecB, VEC_A: vecA },
      inputs: { ma: a, mb: b, mbias: bias ?? dummy(), mb4: vecB ? b : dummy(), ma4: vecA ? a : dummy() }, outputs: { mc: c, msums: rowSums ? sums : dummy() },
      uniforms: { m, n, k, flags: epilogueFlags(!!bias, !!rowSums, activation) },
      workgroups: [Math.min(colGroups, max), ceilDiv(m, tileRows(tile)), ceilDiv(colGroups, max)],
    }));
  },
};

interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  bias?: Tensor;
  /** Fused into the product's pass; its gradient is taken from the saved output. */
  activation?: FusedActivation;
}

/** dC/dA and dC/dB (and the bias gradient, folded into dB's pass) for the gradient g of C. */
function matmulGrads(a: Tensor, b: Tensor, g: Tensor, transA: boolean, transB: boolean, bias: Tensor | undefined): (Tensor | null)[] {
  // dA = g·op(B)ᵀ and dB = op(A)ᵀ·g, written so each lands in its stored layout.
  const da = a.requiresGrad ? (transA ? product(b, g, transB, true) : product(g, b, false, !transB)) : null;
  if (transB) {
    // dB = gᵀ·op(A): A's operand of that product is g read transposed, so its row sums are Σ_rows g.
    const [m, n, k] = [g.shape[1], transA ? a.shape[0] : a.shape[1], g.shape[0]];
    const [db, dbias] = launch(matmulKernel, [g, a], bias ? [[m, n], [m]] : [[m, n]], { m, n, k, transA: true, transB: transA, bias: false, rowSums: !!bias });
    return bias ? [da, db, dbias.view(bias.shape)] : [da, db];
  }
  const db = product(a, g, !transA, false);
  return bias ? [da, db, sumTo(g, bias.shape)] : [da, db];
}

/** Gradient rules run without recording, so a product there is a plain launch. */
const product = (a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor => matmul(a, b, { transA, transB });

/** C = act(op(A)·op(B) (+ bias)), for 2-D tensors. */
export function matmul(a: Tensor, b: Tensor, { transA = false, transB = false, bias, activation }: MatmulOptions = {}): Tensor {
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new Error(`matmul: expected 2-D tensors, got ${describe(a.shape)} and ${describe(b.shape)}`);
  }
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (k !== kb) {
    throw new Error(`matmul: inner dimensions differ: ${describe(a.shape)}${transA ? 'ᵀ' : ''} · ${describe(b.shape)}${transB ? 'ᵀ' : ''}`);
  }
  if (bias && (bias.size !== n)) throw new Error(`matmul: bias has ${bias.size} values, expected ${n}`);
  const inputs = bias ? [a, b, bias] : [a, b];
  const [c] = launch(matmulKernel, inputs, [[m, n]], { m, n, k, transA, transB, bias: !!bias, activation });
  return record(c, 'matmul', inputs, (g) => {
    const gz = activation ? launch(activationGradKernel, [c, g], [c.shape], { op: activation })[0] : g;
    return matmulGrads(a, b, gz, transA, transB, bias);
  });
}
