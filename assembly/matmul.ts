import { gemm } from './gemm';
import { gemmNT } from './gemm-nt';
import { MatmulParams as P } from './generated/params';

/** C = op(A)·op(B) (+ bias per column) over rows (splitRows) or columns [lo, hi). */
export function matmul(params: usize, lo: i32, hi: i32, scratch: usize): void {
  const m = P.m(params);
  const n = P.n(params);
  const k = P.k(params);
  const rows = P.splitRows(params) != 0;
  const i0 = rows ? lo : 0, i1 = rows ? hi : m, j0 = rows ? 0 : lo, j1 = rows ? n : hi;
  if (P.dot(params) != 0) {
    gemmNT(k, P.a(params), P.aRowStride(params), P.b(params), P.bColStride(params), P.c(params), n, P.bias(params), i0, i1, j0, j1);
    return;
  }
  gemm(m, n, k, P.a(params), P.aRowStride(params), P.aDepthStride(params), P.b(params), P.bDepthStride(params), P.bColStride(params),
    P.c(params), n, P.bias(params), i0, i1, j0, j1, scratch);
}
