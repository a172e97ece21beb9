/**
 * Size-bucketed GPU buffer pool. A freed buffer that the open command encoder still uses waits
 * until that encoder was submitted before another tensor may get it: the queue then orders the
 * new owner's writes after the old owner's reads.
 *
 * An allocation takes the free buffer of its size that was created first. Which buffer a tensor
 * gets then depends only on which buffers are free, not on the order they were freed in, so a
 * training step that starts from the same free buffers as the one before binds the same buffers
 * in every dispatch, and the backend's cached bind groups serve it (each one created costs tens of
 * microseconds of host time).
 */

const usage = (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Byte sizes in quarter-octave steps (…, 1024, 1280, 1536, 1792, 2048, …): at most 25% unused. */
export function bucketSize(bytes: number): number {
  if (bytes <= 256) return 256;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const step = octave / 4;
  return Math.ceil(bytes / step) * step;
}

export interface PoolStats {
  /** Buffers created since the start. */
  created: number;
  /** Allocations served from the free lists. */
  reused: number;
  live: number;
  liveBytes: number;
  freeBytes: number;
}

export class BufferPool {
  /** each size's free buffers, highest creation number first: `pop` takes the oldest */
  readonly #free = new Map<number, GPUBuffer[]>();
  #pending: GPUBuffer[] = [];
  /** every buffer the pool made, with its creation number */
  readonly #all = new Map<GPUBuffer, number>();
  #created = 0;
  #reused = 0;
  #liveBytes = 0;
  #freeBytes = 0;
  #pendingBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxBufferSize: number,
  ) {}

  acquire(bytes: number): GPUBuffer {
    if (bytes > this.maxBufferSize) {
      throw new Error(`webgpu: a buffer of ${bytes} bytes is above this device's maxBufferSize (${this.maxBufferSize})`);
    }
    const size = Math.min(bucketSize(bytes), this.maxBufferSize - (this.maxBufferSize % 4));
    const list = this.#free.get(size);
    let buffer = list?.pop();
    if (buffer) {
      this.#reused++;
      this.#freeBytes -= size;
    } else {
      buffer = this.device.createBuffer({ size, usage: usage(), label: `pool ${size}` });
      this.#all.set(buffer, this.#created++);
    }
    this.#liveBytes += size;
    return buffer;
  }

  /** `inFlight`: the open encoder uses the buffer, so it is recycled only after the next submit. */
  release(buffer: GPUBuffer, inFlight: boolean): void {
    this.#liveBytes -= buffer.size;
    if (inFlight) {
      this.#pending.push(buffer);
      this.#pendingBytes += buffer.size;
    } else this.#recycle(buffer);
  }

  /** Bytes freed while the open encoder still used them: memory a submit would give back. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Called right after a submit: what that submit used may now go to new owners. */
  submitted(): void {
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    for (const buffer of pending) this.#recycle(buffer);
  }

  stats(): PoolStats {
    return { created: this.#created, reused: this.#reused, live: this.#all.size - this.#countFree(), liveBytes: this.#liveBytes, freeBytes: this.#freeBytes };
  }

  destroy(): void {
    for (const buffer of this.#all.keys()) buffer.destroy();
    this.#all.clear();
    this.#free.clear();
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #recycle(buffer: GPUBuffer): void {
    const list = this.#free.get(buffer.size);
    if (!list) this.#free.set(buffer.size, [buffer]);
    else {
      // Binary search for the place that keeps the list in falling creation order.
      const n = this.#all.get(buffer)!;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.#all.get(list[mid])! > n) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, buffer);
    }
    this.#freeBytes += buffer.size;
  }

  #countFree(): number {
    let n = this.#pending.length;
    for (const list of this.#free.values()) n += list.length;
    return n;
  }
}
