/**
 * Counter-based random numbers: the value for element i depends only on (seed, i), so the CPU and
 * the WGSL dropout draw identical masks, in any order, on any number of threads.
 */
/** A 32-bit integer hash with good avalanche (lowbias32); WGSL's u32 arithmetic wraps the same way. */
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
