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

let defaultBackend: Backend | null = null;
const scopes: Tracked[][] = [];
let gradEnabled = true;

export function setBackend(backend: Backend): void {
  defaultBackend = backend;
}

export function currentBackend(): Backend {
  if (!defaultBackend) throw new Error('no backend selected: call setBackend() (or useBackend() from wgnn) first');
  return defaultBackend;
}

export function track(t: Tracked): void {
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(t);
}

/** What a scope may return: tensors, possibly in arrays or plain objects, and other values. */
type Kept = unknown;

function collect(result: Kept, into: Set<Tracked>): void {
  if (result === null || typeof result !== 'object') return;
  if ('shape' in result && 'dispose' in result) into.add(result as Tracked);
  else for (const v of Object.values(result)) collect(v, into);
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns. GPU memory is
 * never left to the garbage collector: training steps run inside a scope.
 */
export function scope<T extends Kept>(fn: () => T): T {
  scopes.push([]);
  let created: Tracked[] = [];
  try {
    const result = fn();
    const keep = new Set<Tracked>();
    collect(result, keep);
    created = scopes.pop()!;
    const outer = scopes[scopes.length - 1];
    for (const t of created) {
      if (keep.has(t)) outer?.push(t);
      else t.dispose();
    }
    return result;
  } catch (e) {
    if (scopes.length && created.length === 0) for (const t of scopes.pop()!) t.dispose();
    throw e;
  }
}

/** Removes a tensor from the scope it was created in, so that the scope's end does not free it. */
export function keep<T extends Tracked>(t: T): T {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const at = scopes[i].indexOf(t);
    if (at >= 0) {
      scopes[i].splice(at, 1);
      break;
    }
  }
  return t;
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Evaluation: ops inside record no gradient rules. */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}
