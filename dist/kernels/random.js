/**
 * Counter-based random numbers: the value for element i depends only on (seed, i), so the CPU and
 * the WGSL dropout draw identical masks, in any order, on any number of threads.
 */
/** A 32-bit integer hash with good avalanche (lowbias32); WGSL's u32 arithmetic wraps the same way. */
export function hash32(x) {
    x = (x ^ (x >>> 16)) >>> 0;
    x = Math.imul(x, 0x7feb352d) >>> 0;
    x = (x ^ (x >>> 15)) >>> 0;
    x = Math.imul(x, 0x846ca68b) >>> 0;
    return (x ^ (x >>> 16)) >>> 0;
}
/** Uniform in [0, 1) for element `index` of stream `seed`. */
export function uniformAt(seed, index) {
    return hash32((hash32(seed) + index) >>> 0) / 4294967296;
}
/** A seeded host-side generator (weight init, shuffling): the same stream on every backend. */
export class Rng {
    seed;
    #counter = 0;
    constructor(seed) {
        this.seed = seed;
    }
    next() {
        return uniformAt(this.seed, this.#counter++);
    }
    /** Standard normal by Box–Muller. */
    normal() {
        const u = 1 - this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    }
    int(below) {
        return Math.floor(this.next() * below);
    }
    shuffle(n) {
        const order = new Uint32Array(n);
        for (let i = 0; i < n; i++)
            order[i] = i;
        for (let i = n - 1; i > 0; i--) {
            const j = this.int(i + 1);
            const t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
