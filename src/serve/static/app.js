// The digit page: a drawing pad and an upload, read by the model in this page (see predictor.js)
// or, where the page cannot run it, by the server. Plain DOM modules; the engine is the one
// bundled file (/engine.js).
import { createPad } from './pad.js';
import { createPredictor } from './predictor.js';
import { reset, setModel, show, showError } from './view.js';

const pad = createPad(document.getElementById('pad'), () => ask({ rgba: pad.rgba(), png: pad.png }));
const whereEl = document.getElementById('where');

const info = fetch('api/model').then(async (r) => {
  const m = await r.json();
  if (!r.ok) throw new Error(m.error ?? `HTTP ${r.status}`);
  return m;
});
info
  .then((m) => {
    const acc = m.test ? ` · test accuracy ${(m.test.accuracy * 100).toFixed(2)}%` : '';
    document.getElementById('model').textContent = `${m.preset ?? 'model'} · ${m.params.total.toLocaleString('en')} parameters${acc} · ${m.backend}`;
    document.getElementById('layers').textContent = m.layers.filter((l) => l.depth === 0).map((l) => `${l.kind} ${l.outputShape.join('×')}`).join(' → ');
    setModel(m.classes, m.inputShape);
  })
  .catch((e) => (document.getElementById('model').textContent = `model info unavailable: ${e.message}`));

const WHERE = { webgpu: 'in this page, on WebGPU (wgnn’s WGSL kernels)', wasm: 'in this page, on WebAssembly (wgnn’s WASM kernels)', server: 'on the server' };
const predictor = info.then(createPredictor).then((p) => {
  document.body.dataset.inference = p.where;
  whereEl.textContent = `Runs ${WHERE[p.where]} · ${p.description}${p.fallback ? ` · ${p.where === 'server' ? '' : 'not WebGPU: '}${p.fallback}` : ''}`;
  return p;
});
predictor.catch((e) => (whereEl.textContent = `cannot predict: ${e.message}`));

// One prediction at a time; a stroke that ends while one runs is read when it is done, so the
// page never shows an answer older than the latest one asked for and never floods the server.
// body[data-requested] counts what was asked, body[data-shown] marks the answer shown.
let requested = 0;
let next = null;
let busy = false;

function ask(input) {
  requested++;
  document.body.dataset.requested = String(requested);
  next = { id: requested, input };
  if (!busy) void pump();
}

async function pump() {
  busy = true;
  while (next) {
    const job = next;
    next = null;
    try {
      const answer = await (await predictor).predict(job.input);
      if (job.id === requested) show(answer);
    } catch (e) {
      if (job.id === requested) showError(e.message);
    }
    if (job.id === requested) document.body.dataset.shown = String(job.id);
  }
  busy = false;
}

document.getElementById('clear').addEventListener('click', () => {
  pad.clear();
  next = null;
  requested++;
  document.body.dataset.requested = document.body.dataset.shown = String(requested);
  reset('draw or upload a digit');
});

document.getElementById('file').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  e.target.value = '';
  pad.clear();
  try {
    pad.showImage(await createImageBitmap(file));
  } catch {
    // not an image the browser can show: the model's reader says what is wrong with it
  }
  ask({ file });
});
