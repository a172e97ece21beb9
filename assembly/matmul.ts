import { gemm } from './gemm';

/**
 * C = op(A)·op(B) (+ bias per column) over rows (splitRows) or columns [lo, hi).
 * Params [m, n, k, a, sai, sap, b, sbp, sbj, c, bias, splitRows].
 */
export function matmul(params: usize, lo: i32, hi: i32, scratch: usize): void {
  const m = load<i32>(params, 0);
  const n = load<i32>(params, 4);
  const k = load<i32>(params, 8);
  const rows = load<i32>(params, 44) != 0;
  gemm(m, n, k, load<u32>(params, 12), load<i32>(params, 16), load<i32>(params, 20), load<u32>(params, 24), load<i32>(params, 28), load<i32>(params, 32),
    load<u32>(params, 36), n, load<u32>(params, 40), rows ? lo : 0, rows ? hi : m, rows ? 0 : lo, rows ? n : hi, scratch);
}
