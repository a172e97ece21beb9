// What the page shows: the image the model read, the class it chose and one bar per class. The
// classes come from the model (GET /api/model), so the page is not tied to ten digits.
const seen = document.getElementById('seen');
const bars = document.getElementById('bars');
const digitEl = document.getElementById('digit');
const confidenceEl = document.getElementById('confidence');
const errorEl = document.getElementById('error');

let classes = [];
let rows = [];

/** One bar per class name; the 28×28 (or other) view sized to the model's input. */
export function setModel(names, inputShape) {
  classes = names;
  bars.replaceChildren();
  rows = names.map((name) => {
    const li = document.createElement('li');
    const label = document.createElement('span');
    label.textContent = name;
    li.append(label);
    li.insertAdjacentHTML('beforeend', '<span class="track"><span class="fill"></span></span><span class="value">0.0%</span>');
    bars.append(li);
    return li;
  });
  if (inputShape?.length === 3) [seen.height, seen.width] = inputShape.slice(1);
}

/** An answer: { digit (the class index), probabilities, preprocessed (values in [0, 1]) }. */
export function show({ digit, probabilities, preprocessed }) {
  errorEl.hidden = true;
  const ctx = seen.getContext('2d');
  const img = ctx.createImageData(seen.width, seen.height);
  // One grey plane, or red, green and blue planes one after another.
  const plane = seen.width * seen.height;
  const colour = preprocessed.length === 3 * plane;
  for (let i = 0; i < plane; i++) {
    const at = (ch) => Math.round(preprocessed[(colour ? ch * plane : 0) + i] * 255);
    img.data.set([at(0), at(1), at(2), 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  digitEl.textContent = classes[digit] ?? String(digit);
  confidenceEl.textContent = `${(probabilities[digit] * 100).toFixed(1)}% sure`;
  probabilities.forEach((p, d) => {
    if (!rows[d]) return;
    rows[d].classList.toggle('top', d === digit);
    rows[d].querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
    rows[d].querySelector('.value').textContent = `${(p * 100).toFixed(1)}%`;
  });
}

export function reset(message) {
  seen.getContext('2d').clearRect(0, 0, seen.width, seen.height);
  digitEl.textContent = '–';
  confidenceEl.textContent = message;
  errorEl.hidden = true;
  for (const li of rows) {
    li.classList.remove('top');
    li.querySelector('.fill').style.width = '0';
    li.querySelector('.value').textContent = '0.0%';
  }
}

export function showError(message) {
  reset('no prediction');
  errorEl.textContent = message;
  errorEl.hidden = false;
}
