/**
 * The WebGPU backend: kernels' `gpu` functions record dispatches into one long-lived command
 * encoder (one compute pass between copies); `flush` submits it, `read` copies into a staging
 * buffer in that same encoder and maps it, `sync` waits for the queue. Uniform blocks of a whole
 * batch live in one arena bound with dynamic offsets and written once per submit; bind groups are
 * cached by their buffers. Every Dawn validation error and a device loss reject the next call.
 */
import type { Backend, HostArray, Storage } from '../../tensor/backend.ts';
import type { Kernel } from '../../kernels/kernel.ts';
import { affineKernel, axpyKernel } from '../../kernels/elementwise.ts';
import { openDevice, type GpuDevice } from './device.ts';
import type { GpuBinding, GpuContext, GpuDispatch, GpuLimits, PackedUniforms } from '../../kernels/gpu.ts';
import { layoutId, Pipelines, uniformBlockBytes } from './pipelines.ts';
import { bucketSize, BufferPool, type PoolStats } from './pool.ts';
import { defaultTile, fittingTiles, tileName, type GemmTile, type TileLimits } from '../../kernels/gemm-tiles.ts';
import { TileCache } from './tile-cache.ts';

/** A tensor's memory: `length` float32s at the start of a pooled buffer. */
class DeviceStorage implements Storage {
  constructor(
    readonly length: number,
    public buffer: GPUBuffer | null,
  ) {}
}

interface Bound {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

export interface WebGpuOptions {
  /** Prints every dispatch and submit and the pool's state (also `WGNN_DEBUG=1`). */
  debug?: boolean;
  /** Runs every GEMM on this tile shape (tests force small tiles so odd sizes reach the edge code). */
  tile?: GemmTile;
  /**
   * Times the fitting tile shapes on each new GEMM shape (at the next `sync`) and keeps the
   * fastest, in memory and in a JSON file under the user's cache directory. Default: on for a
   * hardware adapter unless WGNN_TUNE=0; off for a software one, which gets the default tiles.
   */
  tune?: boolean;
  /** Lowers the limits tiles must fit (tests fake a small adapter with it). */
  tileLimits?: Partial<TileLimits>;
  /** Lowers the storage-binding limit the backend enforces, in bytes: tests of splitting use it. */
  maxBindingBytes?: number;
  /** Lowers the storage buffers a stage may bind (tests fake WebGPU's minimum, 8, with it). */
  maxStorageBuffers?: number;
}

export interface WebGpuStats {
  dispatches: number;
  submits: number;
  pipelines: number;
  /** bind groups created: a repeated training step should find all of its own cached */
  bindGroups: number;
  pool: PoolStats;
}

/** Bytes of uniform blocks one encoder can hold; a batch that fills it is submitted early. */
const arenaBytes = 1 << 20;
/**
 * Freed buffers wait for the submit of the encoder that uses them; a long batch (evaluating a
 * whole test set without a read) is submitted early once they hold this much.
 */
const pendingBudgetBytes = 256 << 20;
const maxCachedBindGroups = 4096;

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly dtype = 'float32' as const;
  readonly description: string;
  readonly limits: GpuLimits;
  /** A CPU adapter (lavapipe): correct, but slower than wgnn's own CPU backend. */
  readonly software: boolean;
  /** Whether kernel timings come from the GPU's own clock (timestamp-query) or wall time around a sync. */
  readonly clock: 'gpu-timestamp' | 'wall';

  readonly #gpu: GpuDevice;
  readonly #device: GPUDevice;
  readonly #pool: BufferPool;
  readonly #pipelines: Pipelines;
  readonly #debug: boolean;
  readonly #maxBindingBytes: number;
  readonly #uniformAlign: number;
  readonly #lost: Promise<never>;

  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  /** Buffers the open encoder touches: freeing or overwriting them must wait for its submit. */
  readonly #used = new Set<GPUBuffer>();
  readonly #arena: GPUBuffer;
  readonly #uniforms = new DataView(new ArrayBuffer(arenaBytes));
  #uniformEnd = 0;
  readonly #bindGroups = new Map<string, GPUBindGroup>();
  readonly #bufferIds = new WeakMap<GPUBuffer, number>();
  #nextBufferId = 0;
  readonly #staging = new Map<number, GPUBuffer[]>();
  /** Error scopes of submitted batches, awaited by `read` and `sync`. */
  #scopes: Promise<void>[] = [];
  #failure: Error | null = null;
  #disposed = false;
  #batchDispatches = 0;
  #dispatches = 0;
  #bindGroupsCreated = 0;
  #submits = 0;
  #forcedTile: GemmTile | null;
  readonly #tune: boolean;
  readonly #tiles: TileCache;
  /** GEMM shapes met since the last sync that have no timed tile yet, with what reproduces them. */
  readonly #untimed = new Map<string, { kernel: Kernel<unknown>; params: unknown; inputs: number[]; outputs: number[] }>();
  /** While set, the next compute pass writes its start and end time into this query set. */
  #timestampWrites: GPUComputePassTimestampWrites | null = null;
  #passesBegun = 0;

  private constructor(gpu: GpuDevice, options: WebGpuOptions) {
    this.#gpu = gpu;
    this.#device = gpu.device;
    const limits = this.#device.limits;
    this.#debug = options.debug ?? process.env.WGNN_DEBUG === '1';
    this.#maxBindingBytes = Math.min(limits.maxStorageBufferBindingSize, options.maxBindingBytes ?? Infinity);
    this.#uniformAlign = Math.max(16, limits.minUniformBufferOffsetAlignment);
    this.limits = {
      maxBindingLength: Math.floor(this.#maxBindingBytes / 4),
      offsetAlignment: limits.minStorageBufferOffsetAlignment / 4,
      maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerStage: Math.min(limits.maxStorageBuffersPerShaderStage, options.maxStorageBuffers ?? Infinity),
      maxWorkgroupStorageBytes: Math.min(limits.maxComputeWorkgroupStorageSize, options.tileLimits?.maxWorkgroupStorageBytes ?? Infinity),
      maxInvocationsPerWorkgroup: Math.min(limits.maxComputeInvocationsPerWorkgroup, options.tileLimits?.maxInvocationsPerWorkgroup ?? Infinity),
      maxWorkgroupSizeX: Math.min(limits.maxComputeWorkgroupSizeX, options.tileLimits?.maxWorkgroupSizeX ?? Infinity),
      maxWorkgroupSizeY: Math.min(limits.maxComputeWorkgroupSizeY, options.tileLimits?.maxWorkgroupSizeY ?? Infinity),
    };
    this.software = gpu.software;
    this.#forcedTile = options.tile ?? null;
    this.#tune = options.tune ?? (!gpu.software && process.env.WGNN_TUNE !== '0');
    this.#tiles = new TileCache(gpu.adapterName, this.#tune);
    this.clock = gpu.timestamps ? 'gpu-timestamp' : 'wall';
    this.description = `webgpu: ${gpu.adapterName}`;
    this.#pool = new BufferPool(this.#device, limits.maxBufferSize);
    this.#pipelines = new Pipelines(this.#device, this.#debug);
    this.#arena = this.#device.createBuffer({ label: 'uniform arena', size: arenaBytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.#lost = new Promise<never>((_, reject) => gpu.onLost(reject));
    this.#lost.catch(() => {}); // raced by read/sync; a loss nobody waits for surfaces at the next call
  }

  /** Opens the adapter's device; throws, saying why, when there is none. */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
    const gpu = await openDevice();
    if ('error' in gpu) throw new Error(`webgpu: ${gpu.error}`);
    const backend = new WebGpuBackend(gpu, options);
    if (backend.#debug) console.error(`[wgnn webgpu] ${backend.description}; limits ${JSON.stringify(backend.limits)}`);
    return backend;
  }

  alloc(length: number): Storage {
    this.#check();
    return new DeviceStorage(length, this.#pool.acquire(Math.max(4, length * 4)));
  }

  free(storage: Storage): void {
    const s = this.#own(storage);
    if (this.#disposed || !s.buffer) return;
    this.#pool.release(s.buffer, this.#used.has(s.buffer));
    s.buffer = null;
  }

  write(storage: Storage, data: ArrayLike<number>, offset = 0): void {
    this.#check();
    const buffer = this.#buffer(storage);
    if (offset < 0 || offset + data.length > storage.length) {
      throw new Error(`webgpu: writing ${data.length} values at ${offset} into a storage of ${storage.length}`);
    }
    if (data.length === 0) return;
    // queue.writeBuffer runs before the open encoder's commands: those that use the buffer go first.
    if (this.#used.has(buffer)) this.flush();
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    this.#device.queue.writeBuffer(buffer, offset * 4, values.buffer, values.byteOffset, values.byteLength);
  }

  async read(storage: Storage): Promise<HostArray> {
    this.#check();
    const source = this.#buffer(storage);
    const bytes = storage.length * 4;
    if (bytes === 0) return new Float32Array(0);
    const staging = this.#takeStaging(bytes);
    this.#endPass();
    this.#begin().copyBufferToBuffer(source, 0, staging, 0, bytes);
    this.#used.add(source);
    this.flush();
    try {
      await Promise.race([staging.mapAsync(GPUMapMode.READ, 0, bytes), this.#lost]);
      await this.#settle();
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      this.#giveStaging(staging);
      return out;
    } catch (e) {
      if (this.#disposed) throw new Error('webgpu: the backend was disposed before a pending read finished');
      throw this.#gpuFailure() ?? e;
    }
  }

  run<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): void {
    this.#check();
    const outs = outputs.map((s) => this.#own(s));
    const scratch: Storage[] = [];
    // Dawn refuses a buffer bound read-only and read-write in one dispatch (addInto(g, g)): read a copy.
    const ins = inputs.map((s) => (outs.includes(this.#own(s)) ? this.#copy(s, scratch) : this.#own(s)));
    const ctx: GpuContext = {
      limits: this.limits,
      parallelism: this.#parallelism(),
      gemmTile: (op, m, n, k) => this.#gemmTile(op, m, n, k, () => ({
        kernel: kernel as Kernel<unknown>, params, inputs: inputs.map((s) => s.length), outputs: outputs.map((s) => s.length),
      })),
      dispatch: (d) => this.#dispatch(kernel.name, d),
      scratch: (length) => {
        const s = this.alloc(length);
        scratch.push(s);
        return s;
      },
    };
    try {
      kernel.gpu(ctx, ins, outs, params);
    } finally {
      for (const s of scratch) this.free(s);
    }
    if (this.#pool.pendingBytes > pendingBudgetBytes) this.flush();
  }

  accumulate(target: Storage, source: Storage): void {
    this.run(axpyKernel, [source], [target], { alpha: 1 });
  }

  copy(source: Storage, target: Storage): void {
    this.run(affineKernel, [source], [target], { scale: 1, shift: 0 });
  }

  flush(): void {
    this.#check();
    const encoder = this.#encoder;
    if (!encoder) return;
    this.#endPass();
    if (this.#uniformEnd > 0) this.#device.queue.writeBuffer(this.#arena, 0, this.#uniforms.buffer, 0, this.#uniformEnd);
    this.#device.queue.submit([encoder.finish()]);
    // Pushed in #begin: the validation and out-of-memory errors of everything this batch did.
    for (let i = 0; i < 2; i++) {
      this.#scopes.push(
        this.#device.popErrorScope().then((error) => {
          if (error) this.#failure ??= new Error(`webgpu (${this.#gpu.adapterName}): ${error.constructor.name}: ${error.message}`);
        }),
      );
    }
    this.#submits++;
    this.#pool.submitted();
    if (this.#debug) {
      const p = this.#pool.stats();
      console.error(
        `[wgnn webgpu] submit #${this.#submits}: ${this.#batchDispatches} dispatches, ${this.#uniformEnd} uniform bytes; pool ${p.live} live (${mib(p.liveBytes)}), ${mib(p.freeBytes)} free, ${p.created} created, ${p.reused} reused`,
      );
    }
    this.#encoder = null;
    this.#used.clear();
    this.#uniformEnd = 0;
    this.#batchDispatches = 0;
  }

  async sync(): Promise<void> {
    await this.#drain();
    if (this.#untimed.size > 0) await this.#timeTiles();
  }

  async #drain(): Promise<void> {
    this.flush();
    try {
      await Promise.race([this.#device.queue.onSubmittedWorkDone(), this.#lost]);
      await this.#settle();
    } catch (e) {
      throw this.#gpuFailure() ?? e;
    }
  }

  /**
   * Milliseconds one call of `run` takes on the device, median of `samples` runs of `reps` calls
   * after a warm-up: from the GPU's timestamps around one compute pass where the adapter has
   * timestamp-query and `run` fits in one pass, else wall time around a sync.
   */
  async time(run: () => void, reps = 1, samples = 3): Promise<{ ms: number; clock: 'gpu-timestamp' | 'wall' }> {
    run();
    await this.sync();
    const times: number[] = [];
    let clock: 'gpu-timestamp' | 'wall' = this.clock;
    for (let s = 0; s < samples; s++) {
      const gpuMs = clock === 'gpu-timestamp' ? await this.#timestamped(run, reps) : null;
      if (gpuMs !== null) {
        times.push(gpuMs / reps);
        continue;
      }
      clock = 'wall';
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) run();
      await this.#drain();
      times.push((performance.now() - t0) / reps);
    }
    times.sort((a, b) => a - b);
    return { ms: times[times.length >> 1], clock };
  }

  /** GPU milliseconds of `reps` calls recorded into one timestamped pass; null when they needed more than one pass. */
  async #timestamped(run: () => void, reps: number): Promise<number | null> {
    const device = this.#device;
    const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
    const resolve = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const staging = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      this.flush();
      this.#timestampWrites = { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
      const begun = this.#passesBegun;
      for (let i = 0; i < reps; i++) run();
      this.#timestampWrites = null;
      const onePass = this.#passesBegun === begun + 1 && this.#pass !== null;
      this.#endPass();
      if (!onePass) {
        await this.#drain();
        return null;
      }
      const encoder = this.#begin();
      encoder.resolveQuerySet(querySet, 0, 2, resolve, 0);
      encoder.copyBufferToBuffer(resolve, 0, staging, 0, 16);
      await this.#drain();
      await staging.mapAsync(GPUMapMode.READ);
      const [start, end] = new BigInt64Array(staging.getMappedRange());
      staging.unmap();
      return Number(end - start) / 1e6;
    } finally {
      this.#timestampWrites = null;
      querySet.destroy();
      resolve.destroy();
      staging.destroy();
    }
  }

  /** Workgroups that keep the adapter busy: a CPU adapter runs a few at once, a GPU hundreds. */
  #parallelism(): number {
    return this.software ? 8 : 512;
  }

  #gemmTile(op: string, m: number, n: number, k: number, reproduce: (() => { kernel: Kernel<unknown>; params: unknown; inputs: number[]; outputs: number[] }) | null): GemmTile {
    if (this.#forcedTile) return this.#forcedTile;
    const id = `${op} ${m}x${n}x${k}`;
    const timed = this.#tiles.get(id, this.limits);
    if (timed) return timed;
    if (this.#tune && reproduce && !this.#untimed.has(id)) this.#untimed.set(id, reproduce());
    return defaultTile(this.limits, m, n, this.software);
  }

  /** Times every fitting tile on each GEMM shape met since the last sync, and keeps the fastest. */
  async #timeTiles(): Promise<void> {
    const shapes = [...this.#untimed];
    this.#untimed.clear();
    for (const [id, job] of shapes) {
      const inputs = job.inputs.map((n) => this.alloc(n));
      const outputs = job.outputs.map((n) => this.alloc(n));
      for (const s of [...inputs, ...outputs]) this.write(s, new Float32Array(s.length).fill(0.5));
      let best: { tile: GemmTile; ms: number } | null = null;
      const times: Record<string, number> = {};
      try {
        for (const tile of fittingTiles(this.limits)) {
          this.#forcedTile = tile;
          const { ms } = await this.time(() => this.run(job.kernel, inputs, outputs, job.params), 2, 3);
          times[tileName(tile)] = ms;
          if (!best || ms < best.ms) best = { tile, ms };
        }
      } finally {
        this.#forcedTile = null;
        for (const s of [...inputs, ...outputs]) this.free(s);
      }
      if (best) {
        this.#tiles.set(id, best.tile);
        if (this.#debug) console.error(`[wgnn webgpu] tiles for ${id}: ${JSON.stringify(times)} → ${tileName(best.tile)}`);
      }
    }
    this.#tiles.save();
  }

  /** Compiles a kernel's pipelines in the background, so the first timed step does not. */
  async warmup<P>(kernel: Kernel<P>, inputs: readonly Storage[], outputs: readonly Storage[], params: P): Promise<void> {
    const pending: Promise<unknown>[] = [];
    const ctx: GpuContext = {
      limits: this.limits,
      parallelism: this.#parallelism(),
      gemmTile: (op, m, n, k) => this.#gemmTile(op, m, n, k, null),
      dispatch: (d) => pending.push(this.#pipelines.prepare({ shader: d.shader, entry: d.entry, key: d.key, consts: d.consts, bindings: d.bindings, inputs: d.inputs.length, outputs: d.outputs.length })),
      scratch: (length) => new DeviceStorage(length, null),
    };
    kernel.gpu(ctx, inputs, outputs, params);
    await Promise.all(pending);
  }

  stats(): WebGpuStats {
    return { dispatches: this.#dispatches, submits: this.#submits, pipelines: this.#pipelines.size, bindGroups: this.#bindGroupsCreated, pool: this.#pool.stats() };
  }

  /** Destroys every buffer and the device, so that Node can exit. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#encoder = null;
    this.#pass = null;
    this.#pool.destroy();
    for (const list of this.#staging.values()) for (const b of list) b.destroy();
    this.#staging.clear();
    this.#bindGroups.clear();
    this.#arena.destroy();
    this.#gpu.destroy();
  }

  #dispatch(kernel: string, d: GpuDispatch): void {
    const bound = [...d.inputs, ...d.outputs].map((b) => this.#bind(kernel, d, b));
    const storageCount = bound.length;
    if (storageCount > this.limits.maxStorageBuffersPerStage) {
      throw new Error(`webgpu: kernel '${kernel}' (${d.shader.name}:${d.entry}) binds ${storageCount} storage buffers; the device allows ${this.limits.maxStorageBuffersPerStage}`);
    }
    for (let i = d.inputs.length; i < bound.length; i++) {
      for (let j = 0; j < bound.length; j++) {
        if (j !== i && bound[j].buffer === bound[i].buffer) {
          throw new Error(`webgpu: kernel '${kernel}' (${d.shader.name}:${d.entry}) binds one buffer twice with one binding writable; Dawn rejects that`);
        }
      }
    }
    const groups = this.#workgroups(kernel, d);
    if (groups[0] * groups[1] * groups[2] === 0) return;

    if (this.#uniformEnd + uniformBlockBytes > arenaBytes) this.flush();
    const encoder = this.#begin();
    const uniformOffset = this.#packUniforms(kernel, d.uniforms);
    const signature = { inputs: d.inputs.length, outputs: d.outputs.length, bindings: d.bindings };
    const compiled = this.#pipelines.get({ shader: d.shader, entry: d.entry, key: d.key, consts: d.consts, ...signature });
    const bindGroup = this.#bindGroup(compiled.layout, layoutId(signature), bound, d.bindings);
    if (!this.#pass) {
      this.#pass = encoder.beginComputePass(this.#timestampWrites ? { timestampWrites: this.#timestampWrites } : {});
      this.#passesBegun++;
    }
    this.#pass.setPipeline(compiled.pipeline);
    this.#pass.setBindGroup(0, bindGroup, [uniformOffset]);
    this.#pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    for (const b of bound) this.#used.add(b.buffer);
    this.#dispatches++;
    this.#batchDispatches++;
    if (this.#debug) {
      const key = d.key ? ` ${JSON.stringify(d.key)}` : '';
      console.error(`[wgnn webgpu] ${kernel}: ${d.shader.name}:${d.entry}${key} [${groups.join(', ')}]`);
    }
  }

  #bind(kernel: string, d: GpuDispatch, b: GpuBinding): Bound {
    const { storage, offset, length } = 'storage' in b ? b : { storage: b, offset: 0, length: b.length };
    const buffer = this.#buffer(storage);
    if (offset % this.limits.offsetAlignment !== 0 || offset < 0 || offset + length > storage.length) {
      throw new Error(`webgpu: kernel '${kernel}' binds elements [${offset}, ${offset + length}) of a storage of ${storage.length} (offsets are multiples of ${this.limits.offsetAlignment})`);
    }
    const size = Math.max(4, length * 4);
    if (size > this.#maxBindingBytes) {
      throw new Error(
        `webgpu: kernel '${kernel}' (${d.shader.name}:${d.entry}) would bind ${mib(size)} in one buffer, above maxStorageBufferBindingSize ` +
          `(${mib(this.#maxBindingBytes)} on ${this.#gpu.adapterName}); this kernel does not split its work: use a smaller batch`,
      );
    }
    return { buffer, offset: offset * 4, size };
  }

  #workgroups(kernel: string, d: GpuDispatch): [number, number, number] {
    const max = this.limits.maxWorkgroupsPerDimension;
    let groups: [number, number, number];
    if (typeof d.workgroups === 'number') {
      const n = d.workgroups;
      groups = n <= max ? [n, 1, 1] : [max, Math.ceil(n / max), 1];
    } else {
      groups = [d.workgroups[0], d.workgroups[1], d.workgroups[2]];
    }
    if (groups.some((g) => g > max || !Number.isInteger(g) || g < 0)) {
      throw new Error(`webgpu: kernel '${kernel}' (${d.shader.name}:${d.entry}) asks for workgroups [${groups.join(', ')}]; the device allows ${max} per dimension`);
    }
    return groups;
  }

  #packUniforms(kernel: string, uniforms: PackedUniforms): number {
    const start = this.#uniformEnd;
    if (uniforms.bytes > uniformBlockBytes) throw new Error(`webgpu: kernel '${kernel}' has more than ${uniformBlockBytes} bytes of uniforms`);
    uniforms.write(this.#uniforms, start);
    this.#uniformEnd = start + align(uniforms.bytes, this.#uniformAlign);
    return start;
  }

  #bindGroup(layout: GPUBindGroupLayout, layoutName: string, bound: readonly Bound[], bindings?: readonly number[]): GPUBindGroup {
    const key = `${layoutName}|${bound.map((b) => `${this.#bufferId(b.buffer)}:${b.offset}:${b.size}`).join('|')}`;
    let group = this.#bindGroups.get(key);
    if (!group) {
      if (this.#bindGroups.size >= maxCachedBindGroups) this.#bindGroups.clear();
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.#arena, offset: 0, size: uniformBlockBytes } }];
      bound.forEach((b, i) => entries.push({ binding: bindings?.[i] ?? i + 1, resource: { buffer: b.buffer, offset: b.offset, size: b.size } }));
      group = this.#device.createBindGroup({ layout, entries });
      this.#bindGroupsCreated++;
      this.#bindGroups.set(key, group);
    }
    return group;
  }

  #bufferId(buffer: GPUBuffer): number {
    let id = this.#bufferIds.get(buffer);
    if (id === undefined) {
      id = this.#nextBufferId++;
      this.#bufferIds.set(buffer, id);
    }
    return id;
  }

  #begin(): GPUCommandEncoder {
    if (!this.#encoder) {
      this.#device.pushErrorScope('out-of-memory');
      this.#device.pushErrorScope('validation');
      this.#encoder = this.#device.createCommandEncoder({ label: 'wgnn batch' });
    }
    return this.#encoder;
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = null;
  }

  #copy(storage: Storage, scratch: Storage[]): DeviceStorage {
    const copy = this.alloc(storage.length) as DeviceStorage;
    scratch.push(copy);
    const source = this.#buffer(storage);
    this.#endPass();
    this.#begin().copyBufferToBuffer(source, 0, copy.buffer!, 0, Math.max(4, storage.length * 4));
    this.#used.add(source);
    this.#used.add(copy.buffer!);
    return copy;
  }

  #takeStaging(bytes: number): GPUBuffer {
    const size = bucketSize(bytes);
    return this.#staging.get(size)?.pop() ?? this.#device.createBuffer({ label: 'staging', size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  #giveStaging(buffer: GPUBuffer): void {
    const list = this.#staging.get(buffer.size);
    if (list) list.push(buffer);
    else this.#staging.set(buffer.size, [buffer]);
  }

  async #settle(): Promise<void> {
    const scopes = this.#scopes;
    this.#scopes = [];
    await Promise.all(scopes);
    this.#check();
  }

  #gpuFailure(): Error | null {
    try {
      this.#gpu.check();
    } catch (e) {
      return e as Error;
    }
    return this.#failure;
  }

  #check(): void {
    if (this.#disposed) throw new Error('webgpu: the backend was disposed');
    const failure = this.#gpuFailure();
    if (failure) throw failure;
  }

  #own(storage: Storage): DeviceStorage {
    if (!(storage instanceof DeviceStorage)) throw new Error('webgpu backend: storage belongs to another backend');
    return storage;
  }

  #buffer(storage: Storage): GPUBuffer {
    const s = this.#own(storage);
    if (!s.buffer) throw new Error('webgpu backend: storage was freed');
    return s.buffer;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
