/**
 * The worker's program, as source text: `new Worker(code, { eval: true })` runs it the same way
 * under tsx, vitest and plain node, with no loader to configure. It instantiates the kernels on
 * the shared memory, sleeps on the generation word, and on each new job claims chunks until none
 * are left (the claiming protocol is described in pool.ts, the control words in `Ctl`).
 */
export declare const workerSource: string;
