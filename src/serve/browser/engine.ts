/**
 * The engine as the page runs it (bundled by ../bundle.ts into /engine.js): the served model is
 * rebuilt in the browser from GET api/model (its config) and GET api/model/weights (safetensors),
 * on WebGPU with wgnn's WGSL kernels when `navigator.gpu` gives an adapter, else on wgnn's WASM
 * kernels, and images are read and prepared exactly as the server does (same header checks, same
 * JPEG decoder, same mnistify) so that both give the same answer.
 */
import { WasmBackend } from '../../backends/wasm/backend.ts';
import { loadKernels } from '../../backends/wasm/module.browser.ts';
import { WebGpuBackend } from '../../backends/webgpu/backend.ts';
import { checkImageHeader, ImageError, type Rgba } from '../../image/header.ts';
import { decodeJpeg } from '../../image/jpeg.ts';
import { SIDE } from '../../image/mnistify.ts';
import { modelInput } from '../../image/model-input.ts';
import { decodeSafetensors } from '../../io/safetensors-bytes.ts';
import { withParameterBudget } from '../../layers/init.ts';
import { Sequential } from '../../layers/sequential.ts';
import type { Backend } from '../../tensor/backend.ts';
import { setBackend } from '../../tensor/context.ts';
import { predict } from '../../train/predict.ts';

export type { Rgba } from '../../image/header.ts';

export interface PageModel {
  /** 'webgpu' or 'wasm' */
  readonly kind: 'webgpu' | 'wasm';
  /** what runs the model, in words ("webgpu: SwiftShader Device (Subzero)", "wasm: relaxed-SIMD (FMA) kernels on 1 thread") */
  readonly backend: string;
  /** why WebGPU was not used, when it was not */
  readonly fallback: string | null;
  readonly classes: readonly string[];
  readonly inputShape: readonly number[];
  /** Class probabilities of one image, with the input the model saw. */
  classify(image: Rgba): Promise<Classified>;
}

export interface Classified {
  probabilities: number[];
  /** the model's input in [0, 1], channels as planes */
  preprocessed: Float32Array;
  inverted: boolean;
}

/** What GET api/model answers that the page needs (the server's ModelInfo has more). */
interface ServedModel {
  config: unknown;
  classes: string[];
  inputShape: number[];
  /** whether pictures go through MNIST's digit preprocessing, else a plain resize to inputShape (absent: a 1×28×28 model is a digit model) */
  digits?: boolean;
}

interface NavigatorGpu {
  gpu?: GPU;
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname} answered ${res.status}`);
  return res;
}

/** WebGPU when the browser has an adapter, else WASM; says why WebGPU was not taken. */
async function openBackend(base: URL): Promise<{ backend: Backend; kind: PageModel['kind']; description: string; fallback: string | null }> {
  const gpu = (globalThis as { navigator?: NavigatorGpu }).navigator?.gpu;
  let fallback: string;
  if (!gpu) {
    fallback = 'this browser has no WebGPU (navigator.gpu is missing)';
  } else {
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) throw new Error('navigator.gpu gives no adapter');
      // Tile tuning times kernels and keeps the results in a file: neither suits a page.
      const backend = await WebGpuBackend.create({ tune: false });
      // A browser often leaves the adapter's description empty; vendor and architecture say more.
      const { vendor, architecture, device, description } = adapter.info;
      const name = [vendor, architecture, device, description].filter((s) => s).join(' ');
      return { backend, kind: 'webgpu', description: name ? `webgpu: ${name}` : backend.description, fallback: null };
    } catch (e) {
      fallback = (e as Error).message;
    }
  }
  const { variant } = await loadKernels({ relaxed: new URL('wasm/wgnn-relaxed.wasm', base).href, simd: new URL('wasm/wgnn.wasm', base).href });
  const backend = new WasmBackend({ threads: 1, simd: variant, maxMemoryMiB: 1024, debug: false });
  return { backend, kind: 'wasm', description: backend.description, fallback };
}

/** Loads the served model onto the best backend the browser offers. `base`: the page's URL. */
export async function loadPageModel(base: URL): Promise<PageModel> {
  const [info, weights] = await Promise.all([
    fetchOk(new URL('api/model', base)).then((r) => r.json() as Promise<ServedModel>),
    fetchOk(new URL('api/model/weights', base)).then(async (r) => new Uint8Array(await r.arrayBuffer())),
  ]);
  const { tensors } = decodeSafetensors(weights, 'api/model/weights');
  const { backend, kind, description, fallback } = await openBackend(base);
  setBackend(backend);
  const held = Object.values(tensors).reduce((sum, t) => sum + t.data.length, 0);
  // The config is checked against the weights' size before anything is allocated, as on the server.
  const skeleton = Sequential.fromConfig(info.config, 'api/model');
  const model = withParameterBudget(held, `the ${held} values api/model/weights holds`, () => skeleton.build(0));
  model.loadStateDict(tensors, 'api/model/weights');
  const classes = info.classes;
  const shape = model.inputShape;
  const digits = info.digits ?? (shape.length === 3 && shape[0] === 1 && shape[1] === SIDE && shape[2] === SIDE);
  return {
    kind,
    backend: description,
    fallback,
    classes,
    inputShape: shape,
    async classify(image) {
      if (shape.length !== 3) throw new Error(`the page prepares images; this model takes ${shape.join('×')}`);
      // As the server prepares them (src/image/model-input.ts): MNIST's digit preprocessing, or the whole picture resized.
      const { pixels, inverted } = modelInput(image, { shape, digits });
      const probs = await predict(model, { images: pixels, labels: new Uint8Array(1), count: 1 });
      return { probabilities: Array.from(probs.subarray(0, classes.length)), preprocessed: pixels, inverted };
    },
  };
}

/**
 * An uploaded file's pixels, as the server would read them: the same header checks and pixel
 * limit, JPEG through the same decoder; a PNG through `decodePng` (the browser's decoder, which
 * gives the same bytes as pngjs for 8-bit images).
 */
export async function readImage(bytes: Uint8Array, name: string, decodePng: (bytes: Uint8Array) => Promise<Rgba>): Promise<Rgba> {
  const kind = checkImageHeader(bytes, name);
  try {
    return kind === 'jpeg' ? decodeJpeg(bytes) : await decodePng(bytes);
  } catch (e) {
    throw new ImageError(name, `cannot decode the image (${(e as Error).message})`);
  }
}
