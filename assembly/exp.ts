/**
 * The exponential the row and recurrent kernels share (softmax.ts, rnn.ts), four lanes and one.
 */

/**
 * e^x, four lanes: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' expf polynomial (relative
 * error ~1e-7), 2^n built in the exponent bits. Adding 1.5·2²³ + 127 rounds x·log2(e) to the
 * integer n and leaves n + 127 in the low mantissa bits, which shift into the exponent field.
 * Inputs are clamped so that 2^n stays a normal float; pmin/pmax are single instructions.
 */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const magic = f32x4.splat(12583039.0);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  return f32x4.mul(p, i32x4.shl(t, 23));
}

/** e^x for one value, through the same polynomial as the lanes. */
// @ts-ignore: decorator
@inline export function sexp(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}
