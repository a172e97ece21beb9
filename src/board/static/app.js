// The board's page: one server-sent-events stream brings the run list and each run's history;
// the selected run's curves are drawn as SVG. body[data-points] counts the epochs drawn.
'use strict';

const runs = new Map(); // id → run entry
const histories = new Map(); // id → [epoch logs]
let selected = null; // id chosen by a click; otherwise the newest run
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent.appendChild(e);
  return e;
}

function current() {
  if (selected && runs.has(selected)) return selected;
  return runs.size ? [...runs.keys()][0] : null;
}

/** A line chart of train and validation values per epoch, with its own axes. */
function chart(svg, history, field, planned) {
  svg.replaceChildren();
  const W = 560, H = 260, L = 52, R = 12, T = 10, B = 28;
  const series = [
    { cls: 'train', pts: history.filter((h) => Number.isFinite(h[field])).map((h) => [h.epoch, h[field]]) },
    { cls: 'val', pts: history.filter((h) => Number.isFinite(h['val_' + field])).map((h) => [h.epoch, h['val_' + field]]) },
  ];
  const all = series.flatMap((s) => s.pts);
  if (!all.length) return 0;
  // The planned epochs set the x axis, so a training run's curve grows to the right.
  const maxEpoch = Math.max(2, planned ?? 0, ...all.map((p) => p[0]));
  let lo = Math.min(...all.map((p) => p[1]));
  let hi = Math.max(...all.map((p) => p[1]));
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.08; lo -= pad; hi += pad;
  const x = (e) => L + ((e - 1) / (maxEpoch - 1)) * (W - L - R);
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    el('line', { class: 'grid', x1: L, x2: W - R, y1: y(v), y2: y(v) }, svg);
    el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, svg).textContent = v.toFixed(3);
  }
  const step = Math.max(1, Math.ceil(maxEpoch / 10));
  for (let e = 1; e <= maxEpoch; e += step) el('text', { x: x(e), y: H - 10, 'text-anchor': 'middle' }, svg).textContent = String(e);
  el('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }, svg);
  el('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }, svg);
  for (const s of series) {
    if (!s.pts.length) continue;
    el('polyline', { class: s.cls, points: s.pts.map(([e, v]) => `${x(e)},${y(v)}`).join(' ') }, svg);
    for (const [e, v] of s.pts) {
      if (s.cls === 'train') el('circle', { class: 'train point', cx: x(e), cy: y(v), r: 3.5 }, svg);
      else el('rect', { class: 'val point', x: x(e) - 3, y: y(v) - 3, width: 6, height: 6 }, svg);
    }
  }
  return series[0].pts.length;
}

function render() {
  const list = document.getElementById('runs');
  list.replaceChildren();
  const now = Date.now();
  for (const r of runs.values()) {
    const li = document.createElement('li');
    const done = histories.get(r.id)?.length ?? r.done;
    // Still training: epochs left and a change in the last two minutes.
    const training = r.epochs !== null && done < r.epochs && r.testAccuracy === null && now - r.updated < 120000;
    li.className = (r.id === current() ? 'selected ' : '') + (training ? 'training' : '');
    li.dataset.id = r.id;
    const name = document.createElement('div');
    name.textContent = r.id;
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `${r.model} · ${done}${r.epochs ? '/' + r.epochs : ''} epochs` + (r.testAccuracy !== null ? ` · test ${(r.testAccuracy * 100).toFixed(2)}%` : '');
    li.append(name, meta);
    li.addEventListener('click', () => { selected = r.id; render(); });
    list.appendChild(li);
  }
  document.body.dataset.runs = String(runs.size);
  const id = current();
  const history = (id && histories.get(id)) || [];
  document.getElementById('title').textContent = id ?? 'no run yet';
  const last = history.at(-1);
  document.getElementById('summary').textContent = last
    ? `epoch ${last.epoch}: loss ${last.loss.toFixed(4)}, accuracy ${last.accuracy.toFixed(4)}` +
      (last.val_loss !== undefined ? `, val_loss ${last.val_loss.toFixed(4)}, val_accuracy ${last.val_accuracy.toFixed(4)}` : '')
    : '';
  const planned = id ? runs.get(id)?.epochs : null;
  const points = chart(document.getElementById('loss'), history, 'loss', planned);
  chart(document.getElementById('accuracy'), history, 'accuracy', planned);
  document.body.dataset.points = String(points);
  document.body.dataset.selected = id ?? '';
}

const stream = new EventSource('/api/events');
stream.addEventListener('open', () => { document.getElementById('status').textContent = 'live'; });
stream.addEventListener('error', () => { document.getElementById('status').textContent = 'reconnecting…'; });
stream.addEventListener('runs', (e) => {
  runs.clear();
  for (const r of JSON.parse(e.data)) runs.set(r.id, r);
  render();
});
stream.addEventListener('history', (e) => {
  const { id, history } = JSON.parse(e.data);
  histories.set(id, history);
  render();
});
