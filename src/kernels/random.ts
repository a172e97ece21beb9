/**
 * Counter-based random numbers: the value for element i depends only on (seed, i), so the CPU and
 * the WGSL dropout draw identical masks, in any order, on any number of threads.
 */

/**
 * lowbias32, a 32-bit integer hash with good avalanche, written once as steps: `hash32` below
 * unrolls them, and the WGSL and AssemblyScript `hash32` are generated from them (src/kernels/spec.ts).
 * Multiplication wraps mod 2³² in all three (Math.imul, u32 arithmetic, i32x4.mul).
 */
export const hash32Steps = [['xorshift', 16], ['mul', 0x7feb352d], ['xorshift', 15], ['mul', 0x846ca68b], ['xorshift', 16]] as const;
const [[, s1], [, m1], [, s2], [, m2], [, s3]] = hash32Steps;

/** The steps unrolled: a loop over them costs ten times as much, and weight init hashes millions. */
export function hash32(x: number): number {
  x = (x ^ (x >>> s1)) >>> 0;
  x = Math.imul(x, m1) >>> 0;
  x = (x ^ (x >>> s2)) >>> 0;
  x = Math.imul(x, m2) >>> 0;
  return (x ^ (x >>> s3)) >>> 0;
}

/** Uniform in [0, 1) for element `index` of stream `seed`. */
export function uniformAt(seed: number, index: number): number {
  return hash32((hash32(seed) + index) >>> 0) / 4294967296;
}

/** A seeded host-side generator (weight init, shuffling): the same stream on every backend. */
export class Rng {
  #counter = 0;
  constructor(readonly seed: number) {}
  next(): number {
    return uniformAt(this.seed, this.#counter++);
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  shuffle(n: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
