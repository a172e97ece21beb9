/** Matrix products: the dense layer's forward and both of its gradients are one kernel. */
import { record } from '../tensor/autograd.ts';
import { launch, Tensor } from '../tensor/tensor.ts';
import type { Kernel } from './kernel.ts';
import { sumTo } from './reduce.ts';
import { describe } from './shape.ts';
import { ceilDiv } from './gpu.ts';

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

export const matmulKernel: Kernel<MatmulParams> = {
  name: 'matmul',
  cpu([a, b, bias], [c], { m, n, k, transA, transB }) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) {
          acc += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        }
        c[i * n + j] = acc;
      }
    }
  },
  gpu(ctx, [a, b, bias], [c], { m, n, k, transA, transB }) {
    const regs = ctx.registerTiles;
    ctx.dispatch({
      shader: 'matmul', entry: regs ? 'matmul_regs' : 'matmul_tiled',
      key: { TRANS_A: transA, TRANS_B: transB, BIAS: !!bias },
      inputs: [a, b, bias ?? a], outputs: [c], uniforms: [m, n, k],
      workgroups: [ceilDiv(n, 64), ceilDiv(m, regs ? 16 : 64), 1],
    });
  },
};

interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  bias?: Tensor;
}

/** C = op(A)·op(B) (+ bias), for 2-D tensors. */
export function matmul(a: Tensor, b: Tensor, { transA = false, transB = false, bias }: MatmulOptions = {}): Tensor {
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
  const [c] = launch(matmulKernel, inputs, [[m, n]], { m, n, k, transA, transB, bias: !!bias });
  return record(c, 'matmul', inputs, (g) => {
    // dA = g·op(B)ᵀ and dB = op(A)ᵀ·g, written so each lands in its stored layout.
    const da = transA ? matmul(b, g, { transA: transB, transB: true }) : matmul(g, b, { transB: !transB });
    const db = transB ? matmul(g, a, { transA: true, transB: transA }) : matmul(a, g, { transA: !transA });
    return bias ? [da, db, sumTo(g, bias.shape)] : [da, db];
  });
}
