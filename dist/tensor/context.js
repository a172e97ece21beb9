let defaultBackend = null;
const scopes = [];
let gradEnabled = true;
export function setBackend(backend) {
    defaultBackend = backend;
}
export function currentBackend() {
    if (!defaultBackend)
        throw new Error('no backend selected: call setBackend() (or useBackend() from wgnn) first');
    return defaultBackend;
}
export function track(t) {
    const scope = scopes[scopes.length - 1];
    if (scope)
        scope.push(t);
}
function collect(result, into) {
    if (result === null || typeof result !== 'object')
        return;
    if ('shape' in result && 'dispose' in result)
        into.add(result);
    else
        for (const v of Object.values(result))
            collect(v, into);
}
/**
 * Runs `fn` and disposes every tensor created inside it except those it returns. GPU memory is
 * never left to the garbage collector: training steps run inside a scope.
 */
export function scope(fn) {
    scopes.push([]);
    let created = [];
    try {
        const result = fn();
        const keep = new Set();
        collect(result, keep);
        created = scopes.pop();
        const outer = scopes[scopes.length - 1];
        for (const t of created) {
            if (keep.has(t))
                outer?.push(t);
            else
                t.dispose();
        }
        return result;
    }
    catch (e) {
        if (scopes.length && created.length === 0)
            for (const t of scopes.pop())
                t.dispose();
        throw e;
    }
}
/** Removes a tensor from the scope it was created in, so that the scope's end does not free it. */
export function keep(t) {
    for (let i = scopes.length - 1; i >= 0; i--) {
        const at = scopes[i].indexOf(t);
        if (at >= 0) {
            scopes[i].splice(at, 1);
            break;
        }
    }
    return t;
}
export function isGradEnabled() {
    return gradEnabled;
}
/** Evaluation: ops inside record no gradient rules. */
export function noGrad(fn) {
    const before = gradEnabled;
    gradEnabled = false;
    try {
        return fn();
    }
    finally {
        gradEnabled = before;
    }
}
