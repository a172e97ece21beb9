import { currentBackend, track } from "./context.js";
/** Device memory shared by a tensor and its reshaped views; freed when the last one is disposed. */
class Buffer {
    backend;
    storage;
    refs = 1;
    constructor(backend, storage) {
        this.backend = backend;
        this.storage = storage;
    }
    retain() {
        this.refs++;
    }
    release() {
        if (--this.refs === 0)
            this.backend.free(this.storage);
    }
}
export function sizeOf(shape) {
    let n = 1;
    for (const d of shape)
        n *= d;
    return n;
}
export function sameShape(a, b) {
    return a.length === b.length && a.every((d, i) => d === b[i]);
}
let nextId = 0;
export class Tensor {
    shape;
    requiresGrad;
    id = nextId++;
    size;
    grad = null;
    node = null;
    #buffer;
    constructor(shape, buffer, requiresGrad = false) {
        this.shape = shape;
        this.requiresGrad = requiresGrad;
        this.size = sizeOf(shape);
        this.#buffer = buffer;
        track(this);
    }
    static empty(shape, backend = currentBackend()) {
        for (const d of shape) {
            if (!Number.isInteger(d) || d <= 0)
                throw new Error(`invalid tensor shape [${shape.join(', ')}]`);
        }
        return new Tensor([...shape], new Buffer(backend, backend.alloc(sizeOf(shape))));
    }
    static from(data, shape, backend = currentBackend()) {
        if (data.length !== sizeOf(shape)) {
            throw new Error(`${data.length} values cannot fill a tensor of shape [${shape.join(', ')}]`);
        }
        const t = Tensor.empty(shape, backend);
        backend.write(t.storage, data);
        return t;
    }
    static scalar(value, backend = currentBackend()) {
        return Tensor.from([value], [1], backend);
    }
    get backend() {
        return this.live().backend;
    }
    get storage() {
        return this.live().storage;
    }
    get disposed() {
        return this.#buffer === null;
    }
    /** A tensor of another shape over the same memory; no copy. */
    view(shape) {
        if (sizeOf(shape) !== this.size) {
            throw new Error(`cannot view [${this.shape.join(', ')}] as [${shape.join(', ')}]`);
        }
        const buffer = this.live();
        buffer.retain();
        return new Tensor([...shape], buffer);
    }
    async read() {
        return this.backend.read(this.storage);
    }
    async item() {
        return (await this.read())[0];
    }
    dispose() {
        if (this.#buffer) {
            this.#buffer.release();
            this.#buffer = null;
        }
        this.node = null;
    }
    live() {
        if (!this.#buffer)
            throw new Error(`tensor #${this.id} [${this.shape.join(', ')}] was already disposed`);
        return this.#buffer;
    }
}
/**
 * Runs a kernel on tensors: allocates the outputs on the inputs' backend and queues the work.
 * Every op goes through here, so one place checks that its tensors share a backend.
 */
export function launch(kernel, inputs, outShapes, params) {
    const backend = inputs.length ? inputs[0].backend : currentBackend();
    for (const t of inputs) {
        if (t.backend !== backend)
            throw new Error(`${kernel.name}: inputs live on different backends`);
    }
    const outputs = outShapes.map((s) => Tensor.empty(s, backend));
    backend.run(kernel, inputs.map((t) => t.storage), outputs.map((t) => t.storage), params);
    return outputs;
}
/** Runs a kernel that updates `targets` in place (optimizer steps, running statistics, accumulators). */
export function launchInPlace(kernel, inputs, targets, params) {
    const backend = targets[0].backend;
    for (const t of [...inputs, ...targets]) {
        if (t.backend !== backend)
            throw new Error(`${kernel.name}: tensors live on different backends`);
    }
    backend.run(kernel, inputs.map((t) => t.storage), targets.map((t) => t.storage), params);
}
