// The page: a drawing pad and an upload, each sent to POST /api/predict; the answer is drawn as
// the image the model saw, the class and one bar per class. The class names and the input shape
// come from GET /api/model (the model's config), never from MNIST. Plain DOM, no build step.
const pad = document.getElementById('pad');
const ink = pad.getContext('2d');
const seen = document.getElementById('seen');
const bars = document.getElementById('bars');
const digitEl = document.getElementById('digit');
const confidenceEl = document.getElementById('confidence');
const errorEl = document.getElementById('error');
const BRUSH = pad.width / 15; // about MNIST's stroke width once the digit is scaled to its 20-pixel box

const fills = [];
/** [channels, height, width] of the model's input, and the name of each class; set from GET /api/model. */
let inputShape = [1, seen.height, seen.width];
let classNames = [];
function buildBars(names) {
  classNames = names;
  bars.replaceChildren();
  fills.length = 0;
  for (const name of names) {
    const li = document.createElement('li');
    li.innerHTML = `<span></span><span class="track"><span class="fill"></span></span><span class="value">0.0%</span>`;
    li.firstChild.textContent = name;
    bars.append(li);
    fills.push(li);
  }
}

function clearPad() {
  ink.fillStyle = '#000';
  ink.fillRect(0, 0, pad.width, pad.height);
}
clearPad();

// Requests go one at a time; a stroke that ends while one is out is sent when it returns, so the
// page never shows an answer older than the latest one asked for and never floods the server.
let requested = 0;
let next = null;
let busy = false;

function ask(makeRequest) {
  requested++;
  document.body.dataset.requested = String(requested);
  next = { id: requested, makeRequest };
  if (!busy) void pump();
}

async function pump() {
  busy = true;
  while (next) {
    const job = next;
    next = null;
    try {
      const { body, type } = await job.makeRequest();
      const res = await fetch('api/predict', { method: 'POST', headers: { 'content-type': type }, body });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
      if (job.id === requested) show(answer);
    } catch (e) {
      if (job.id === requested) showError(e.message);
    }
    if (job.id === requested) document.body.dataset.shown = String(job.id);
  }
  busy = false;
}

function show({ digit, label, probabilities, preprocessed }) {
  errorEl.hidden = true;
  const ctx = seen.getContext('2d');
  const [c, h, w] = inputShape;
  const img = ctx.createImageData(w, h);
  // Planes of [0, 1] values: one grey plane, or red, green and blue.
  for (let i = 0; i < h * w; i++) {
    const at = (ch) => Math.round(preprocessed[(c === 3 ? ch : 0) * h * w + i] * 255);
    img.data.set([at(0), at(1), at(2), 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  digitEl.textContent = label ?? classNames[digit] ?? String(digit);
  confidenceEl.textContent = `${(probabilities[digit] * 100).toFixed(1)}% sure`;
  probabilities.forEach((p, d) => {
    fills[d].classList.toggle('top', d === digit);
    fills[d].querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
    fills[d].querySelector('.value').textContent = `${(p * 100).toFixed(1)}%`;
  });
}

function reset(message) {
  seen.getContext('2d').clearRect(0, 0, seen.width, seen.height);
  digitEl.textContent = '–';
  confidenceEl.textContent = message;
  for (const li of fills) {
    li.classList.remove('top');
    li.querySelector('.fill').style.width = '0';
    li.querySelector('.value').textContent = '0.0%';
  }
}

function showError(message) {
  reset('no prediction');
  errorEl.textContent = message;
  errorEl.hidden = false;
}

// Drawing: pointer events cover mouse, pen and touch alike.
let last = null;
const at = (e) => {
  const r = pad.getBoundingClientRect();
  return { x: ((e.clientX - r.left) * pad.width) / r.width, y: ((e.clientY - r.top) * pad.height) / r.height };
};
function segment(a, b) {
  ink.strokeStyle = '#fff';
  ink.lineWidth = BRUSH;
  ink.lineCap = 'round';
  ink.lineJoin = 'round';
  ink.beginPath();
  ink.moveTo(a.x, a.y);
  ink.lineTo(b.x, b.y);
  ink.stroke();
}
pad.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  pad.setPointerCapture(e.pointerId);
  last = at(e);
  segment(last, last);
});
pad.addEventListener('pointermove', (e) => {
  if (!last) return;
  for (const c of e.getCoalescedEvents?.() ?? [e]) {
    const p = at(c);
    segment(last, p);
    last = p;
  }
});
function endStroke() {
  if (!last) return;
  last = null;
  ask(() => new Promise((resolve) => pad.toBlob((blob) => resolve({ body: blob, type: 'image/png' }), 'image/png')));
}
pad.addEventListener('pointerup', endStroke);
pad.addEventListener('pointercancel', endStroke);

document.getElementById('clear').addEventListener('click', () => {
  clearPad();
  next = null;
  requested++;
  document.body.dataset.requested = document.body.dataset.shown = String(requested);
  errorEl.hidden = true;
  reset('draw or upload a digit');
});

document.getElementById('file').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  e.target.value = '';
  clearPad();
  try {
    // Shown on the pad for reference, fitted inside it; the model gets the file itself.
    const bitmap = await createImageBitmap(file);
    const s = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    ink.drawImage(bitmap, (pad.width - bitmap.width * s) / 2, (pad.height - bitmap.height * s) / 2, bitmap.width * s, bitmap.height * s);
  } catch {
    // not an image the browser can show: the server says what is wrong with it
  }
  ask(async () => ({ body: file, type: file.type || 'application/octet-stream' }));
});

fetch('api/model')
  .then((r) => r.json())
  .then((m) => {
    if (Array.isArray(m.inputShape) && m.inputShape.length === 3) {
      inputShape = m.inputShape;
      [seen.height, seen.width] = [m.inputShape[1], m.inputShape[2]];
      seen.setAttribute('aria-label', `the ${m.inputShape[1]}×${m.inputShape[2]} image given to the model`);
    }
    buildBars(m.classNames ?? []);
    const acc = m.test ? ` · test accuracy ${(m.test.accuracy * 100).toFixed(2)}%` : '';
    document.getElementById('model').textContent =
      `${m.preset ?? 'model'} · ${m.params.total.toLocaleString('en')} parameters${acc} · ${m.backend}`;
    document.getElementById('layers').textContent =
      m.layers.filter((l) => l.depth === 0).map((l) => `${l.kind} ${l.outputShape.join('×')}`).join(' → ');
  })
  .catch((e) => (document.getElementById('model').textContent = `model info unavailable: ${e.message}`));
