import { gemm } from './gemm';
import { MatmulParams as P } from './generated/params';

/** C = op(A)·op(B) (+ bias per column) over rows (splitRows) or columns [lo, hi). */
export function matmul(params: usize, lo: i32, hi: i32, scratch: usize): void {
  const m = P.m(params);
  const n = P.n(params);
  const k = P.k(params);
  const rows = P.splitRows(params) != 0;
  gemm(m, n, k, P.a(params), P.aRowStride(params), P.aDepthStride(params), P.b(params), P.bDepthStride(params), P.bColStride(params),
    P.c(params), n, P.bias(params), rows ? lo : 0, rows ? hi : m, rows ? 0 : lo, rows ? n : hi, scratch);
}
