/**
 * Size-bucketed GPU buffer pool. A freed buffer that the open command encoder still uses waits
 * until that encoder was submitted before another tensor may get it: the queue then orders the
 * new owner's writes after the old owner's reads.
 */
const usage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
/** Byte sizes in quarter-octave steps (…, 1024, 1280, 1536, 1792, 2048, …): at most 25% unused. */
export function bucketSize(bytes) {
    if (bytes <= 256)
        return 256;
    const octave = 2 ** Math.floor(Math.log2(bytes));
    const step = octave / 4;
    return Math.ceil(bytes / step) * step;
}
export class BufferPool {
    device;
    maxBufferSize;
    #free = new Map();
    #pending = [];
    #all = new Set();
    #created = 0;
    #reused = 0;
    #liveBytes = 0;
    #freeBytes = 0;
    #pendingBytes = 0;
    constructor(device, maxBufferSize) {
        this.device = device;
        this.maxBufferSize = maxBufferSize;
    }
    acquire(bytes) {
        if (bytes > this.maxBufferSize) {
            throw new Error(`webgpu: a buffer of ${bytes} bytes is above this device's maxBufferSize (${this.maxBufferSize})`);
        }
        const size = Math.min(bucketSize(bytes), this.maxBufferSize - (this.maxBufferSize % 4));
        const list = this.#free.get(size);
        let buffer = list?.pop();
        if (buffer) {
            this.#reused++;
            this.#freeBytes -= size;
        }
        else {
            buffer = this.device.createBuffer({ size, usage: usage(), label: `pool ${size}` });
            this.#all.add(buffer);
            this.#created++;
        }
        this.#liveBytes += size;
        return buffer;
    }
    /** `inFlight`: the open encoder uses the buffer, so it is recycled only after the next submit. */
    release(buffer, inFlight) {
        this.#liveBytes -= buffer.size;
        if (inFlight) {
            this.#pending.push(buffer);
            this.#pendingBytes += buffer.size;
        }
        else
            this.#recycle(buffer);
    }
    /** Bytes freed while the open encoder still used them: memory a submit would give back. */
    get pendingBytes() {
        return this.#pendingBytes;
    }
    /** Called right after a submit: what that submit used may now go to new owners. */
    submitted() {
        const pending = this.#pending;
        this.#pending = [];
        this.#pendingBytes = 0;
        for (const buffer of pending)
            this.#recycle(buffer);
    }
    stats() {
        return { created: this.#created, reused: this.#reused, live: this.#all.size - this.#countFree(), liveBytes: this.#liveBytes, freeBytes: this.#freeBytes };
    }
    destroy() {
        for (const buffer of this.#all)
            buffer.destroy();
        this.#all.clear();
        this.#free.clear();
        this.#pending = [];
        this.#pendingBytes = 0;
    }
    #recycle(buffer) {
        const list = this.#free.get(buffer.size);
        if (list)
            list.push(buffer);
        else
            this.#free.set(buffer.size, [buffer]);
        this.#freeBytes += buffer.size;
    }
    #countFree() {
        let n = this.#pending.length;
        for (const list of this.#free.values())
            n += list.length;
        return n;
    }
}
