import { affineKernel, axpyKernel } from "../kernels/elementwise.js";
/** Host memory: the storage is the typed array itself. */
class HostStorage {
    data;
    constructor(data) {
        this.data = data;
    }
    get length() {
        return this.data.length;
    }
}
function host(s) {
    if (!(s instanceof HostStorage))
        throw new Error('cpu backend: storage belongs to another backend');
    return s.data;
}
/**
 * The reference backend: every kernel's plain-loop `cpu` implementation, synchronously. In
 * float64 it is the oracle of the gradient checks.
 */
export class CpuBackend {
    dtype;
    name = 'cpu';
    description;
    constructor(dtype = 'float32') {
        this.dtype = dtype;
        this.description = `cpu: reference kernels (${dtype})`;
    }
    alloc(length) {
        return new HostStorage(this.dtype === 'float64' ? new Float64Array(length) : new Float32Array(length));
    }
    free() { }
    write(storage, data, offset = 0) {
        host(storage).set(data, offset);
    }
    async read(storage) {
        return host(storage).slice();
    }
    run(kernel, inputs, outputs, params) {
        kernel.cpu(inputs.map(host), outputs.map(host), params);
    }
    accumulate(target, source) {
        this.run(axpyKernel, [source], [target], { alpha: 1 });
    }
    copy(source, target) {
        this.run(affineKernel, [source], [target], { scale: 1, shift: 0 });
    }
    flush() { }
    async sync() { }
    dispose() { }
}
