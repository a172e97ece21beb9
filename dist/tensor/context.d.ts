import type { Backend } from './backend.ts';
/**
 * Process-wide state of the tensor core: the default backend, the stack of disposal scopes and
 * whether gradients are recorded. Kept in one small module so it is easy to see all of it.
 */
/** What a scope tracks: a tensor (structurally; naming the class here would import it back). */
interface Tracked {
    readonly shape: readonly number[];
    dispose(): void;
}
export declare function setBackend(backend: Backend): void;
export declare function currentBackend(): Backend;
export declare function track(t: Tracked): void;
/** What a scope may return: tensors, possibly in arrays or plain objects, and other values. */
type Kept = unknown;
/**
 * Runs `fn` and disposes every tensor created inside it except those it returns. GPU memory is
 * never left to the garbage collector: training steps run inside a scope.
 */
export declare function scope<T extends Kept>(fn: () => T): T;
/** Removes a tensor from the scope it was created in, so that the scope's end does not free it. */
export declare function keep<T extends Tracked>(t: T): T;
export declare function isGradEnabled(): boolean;
/** Evaluation: ops inside record no gradient rules. */
export declare function noGrad<T>(fn: () => T): T;
export {};
