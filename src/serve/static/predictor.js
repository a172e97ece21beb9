// Where the model runs. In the page when it can: the engine (/engine.js, wgnn's own kernels
// bundled) rebuilds the served model on WebGPU (WGSL) or WebAssembly and reads images exactly as
// the server does; on the server (POST /api/predict) when the engine cannot load.
// Inputs are { rgba } (the drawing pad's pixels) or { file } (an upload), with `png()` for the
// server's sake.

/** Resolves to a predictor: { where: 'webgpu' | 'wasm' | 'server', description, classes, inputShape, predict(input) }. */
export async function createPredictor(info) {
  // A speech model's recordings go to the server (record.js); the page's engine reads images.
  if (info.input === 'speech') return serverPredictor(info, 'a speech model: record.js sends recordings to the server');
  let engine;
  let model;
  try {
    engine = await import('./engine.js');
    model = await engine.loadPageModel(new URL('./', location.href));
  } catch (e) {
    return serverPredictor(info, `the page could not run the model (${e.message})`);
  }
  return {
    where: model.kind,
    description: model.backend,
    fallback: model.fallback,
    classes: model.classes,
    inputShape: model.inputShape,
    async predict(input) {
      const image = input.rgba ?? (await engine.readImage(new Uint8Array(await input.file.arrayBuffer()), input.file.name || 'the file', decodePng));
      const { probabilities, preprocessed, inverted } = await model.classify(image);
      return { digit: argmax(probabilities), probabilities, preprocessed, inverted };
    },
  };
}

function serverPredictor(info, why) {
  return {
    where: 'server',
    description: info.backend,
    fallback: why,
    classes: info.classes,
    inputShape: info.inputShape,
    async predict(input) {
      const body = input.file ?? (await input.png());
      const type = input.file ? input.file.type || 'application/octet-stream' : 'image/png';
      const res = await fetch('api/predict', { method: 'POST', headers: { 'content-type': type }, body });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
      return answer;
    },
  };
}

const argmax = (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/**
 * A PNG's RGBA bytes from the browser's decoder, without colour management or premultiplied
 * alpha: for 8-bit images the bytes pngjs gives the server.
 */
async function decodePng(bytes) {
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: d.width, height: d.height, data: new Uint8Array(d.data.buffer) };
}
