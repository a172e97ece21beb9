/**
 * Opens a WebGPU device through Dawn's Node bindings (npm `webgpu`), with the adapter's limits
 * that decide how big a kernel's bindings may be, and turns every uncaptured error and a device
 * loss into an error the backend throws at its next call rather than a silent wrong result.
 */
import { create, globals } from 'webgpu';
import { DeviceLostError } from '../../tensor/backend.ts';

export interface GpuDevice {
  readonly device: GPUDevice;
  /** The adapter, in words: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)". */
  readonly adapterName: string;
  /** Whether the adapter is a CPU (lavapipe, SwiftShader): kernels choose barrier-free variants. */
  readonly software: boolean;
  /** Whether the device has 'timestamp-query': kernels can be timed on the GPU's own clock. */
  readonly timestamps: boolean;
  /** Throws the first recorded uncaptured error or the loss of the device, if any. */
  check(): void;
  /** Called with the reason when the device is lost, after `check()` starts throwing. */
  onLost(listener: (reason: Error) => void): void;
  destroy(): void;
}

let installed = false;

/** The limits wgnn's kernels depend on; requested at the adapter's best, not the defaults. */
const wantedLimits = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  // Alignments: the adapter's (smaller) value packs uniform blocks and chunk offsets tighter.
  'minStorageBufferOffsetAlignment',
  'minUniformBufferOffsetAlignment',
] as const;

function describeAdapter(info: GPUAdapterInfo): string {
  const parts = [info.description, info.device, info.vendor, info.architecture].filter((s) => s);
  return parts[0] ?? 'unnamed adapter';
}

/**
 * Resolves to an open device, or null (with the reason) when no adapter exists: the caller
 * decides whether that is a fallback (`--backend auto`) or a failure (`--backend webgpu`, CI).
 */
export async function openDevice(): Promise<GpuDevice | { error: string }> {
  if (!installed) {
    // GPUBufferUsage and friends are globals in a browser; Dawn hands them over as an object.
    Object.assign(globalThis, globals);
    installed = true;
  }
  // Dawn's bounds checks cost about a third of matmul speed; every kernel guards its own indices.
  let gpu: GPU | null = create(['enable-dawn-features=disable_robustness']);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    gpu = null;
    return { error: 'no WebGPU adapter found (is a Vulkan driver such as mesa-vulkan-drivers installed?)' };
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of wantedLimits) requiredLimits[name] = adapter.limits[name];
  // Timestamps time kernels on the GPU itself (bench); the feature must be asked for here.
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures: timestamps ? ['timestamp-query'] : [], label: 'wgnn' });
  const adapterName = describeAdapter(adapter.info);
  const software = /llvmpipe|lavapipe|swiftshader|software/i.test(`${adapterName} ${adapter.info.architecture}`);

  let failure: Error | null = null;
  const lostListeners: ((reason: Error) => void)[] = [];
  let destroyed = false;
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    failure ??= new Error(`webgpu (${adapterName}): ${error.constructor.name}: ${error.message}`);
  });
  void device.lost.then((info) => {
    if (destroyed) return;
    failure = new DeviceLostError(`webgpu: the device (${adapterName}) was lost (${info.reason}): ${info.message}`);
    for (const listener of lostListeners) listener(failure);
  });

  return {
    device,
    adapterName,
    software,
    timestamps,
    check() {
      if (failure) throw failure;
    },
    onLost(listener) {
      lostListeners.push(listener);
    },
    destroy() {
      destroyed = true;
      device.destroy();
      // dawn.node keeps Node alive while the GPU object is referenced.
      gpu = null;
    },
  };
}
