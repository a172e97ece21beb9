/**
 * Counter-based random numbers: the value for element i depends only on (seed, i), so the CPU and
 * the WGSL dropout draw identical masks, in any order, on any number of threads.
 */
/**
 * lowbias32, a 32-bit integer hash with good avalanche, written once as steps: `hash32` below
 * unrolls them, and the WGSL and AssemblyScript `hash32` are generated from them (src/kernels/spec.ts).
 * Multiplication wraps mod 2³² in all three (Math.imul, u32 arithmetic, i32x4.mul).
 */
export declare const hash32Steps: readonly [readonly ["xorshift", 16], readonly ["mul", 2146121005], readonly ["xorshift", 15], readonly ["mul", 2221713035], readonly ["xorshift", 16]];
/** The steps unrolled: a loop over them costs ten times as much, and weight init hashes millions. */
export declare function hash32(x: number): number;
/** Uniform in [0, 1) for element `index` of stream `seed`. */
export declare function uniformAt(seed: number, index: number): number;
/** A seeded host-side generator (weight init, shuffling): the same stream on every backend. */
export declare class Rng {
    #private;
    readonly seed: number;
    constructor(seed: number);
    next(): number;
    /** Standard normal by Box–Muller. */
    normal(): number;
    int(below: number): number;
    shuffle(n: number): Uint32Array;
}
