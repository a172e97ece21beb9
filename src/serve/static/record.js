// The record button, shown only when the served model is a speech model (GET /api/model says
// input: "speech"): it records the microphone with MediaRecorder, decodes what was recorded with
// Web Audio, encodes it as a 16-bit mono WAV here in the page and sends that to POST /api/predict,
// which runs the same front end as `wgnn predict RUN file.wav`. The image pad and its output are
// hidden then: a speech model cannot read them. Plain DOM, no build step.
const SECONDS = 1.5; // a digit is under a second; the server trims the silence around it

/** 16-bit PCM WAV of one channel of float samples in [-1, 1]. */
export function encodeWav(samples, sampleRate) {
  const out = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at, s) => [...s].forEach((c, i) => out.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  out.setUint32(4, 36 + samples.length * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  out.setUint32(16, 16, true);
  out.setUint16(20, 1, true); // PCM
  out.setUint16(22, 1, true); // mono
  out.setUint32(24, sampleRate, true);
  out.setUint32(28, sampleRate * 2, true);
  out.setUint16(32, 2, true);
  out.setUint16(34, 16, true);
  text(36, 'data');
  out.setUint32(40, samples.length * 2, true);
  samples.forEach((v, i) => out.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, v)) * 32767), true));
  return new Blob([out.buffer], { type: 'audio/wav' });
}

/** The mean of the channels of a decoded AudioBuffer. */
function mono(buffer) {
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) buffer.getChannelData(c).forEach((v, i) => (out[i] += v / buffer.numberOfChannels));
  return out;
}

/** Records `seconds` of the microphone; resolves with the recording as a WAV blob. */
async function record(seconds) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  try {
    const recorder = new MediaRecorder(stream);
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve, reject) => {
      recorder.onstop = resolve;
      recorder.onerror = (e) => reject(e.error ?? new Error('the recorder failed'));
    });
    recorder.start();
    setTimeout(() => recorder.state === 'recording' && recorder.stop(), seconds * 1000);
    await stopped;
    const encoded = await new Blob(chunks, { type: recorder.mimeType }).arrayBuffer();
    const context = new AudioContext();
    try {
      const decoded = await context.decodeAudioData(encoded);
      return encodeWav(mono(decoded), decoded.sampleRate);
    } finally {
      void context.close();
    }
  } finally {
    stream.getTracks().forEach((t) => t.stop());
  }
}

function build() {
  const section = document.createElement('section');
  section.className = 'speech';
  section.id = 'speech';
  section.dataset.asked = '0';
  section.dataset.shown = '0';
  section.innerHTML = `
    <h2>Say a digit</h2>
    <button id="record" type="button">● Record ${SECONDS} s</button>
    <p class="hint">Press, then say one digit, zero to nine, into the microphone. The server reads the recording.</p>
    <div class="verdict"><div id="heard" class="digit">–</div><div id="heard-confidence" class="confidence">nothing recorded yet</div></div>
    <ol id="heard-bars" class="bars"></ol>
    <p id="speech-error" class="error" role="alert" hidden></p>`;
  const bars = section.querySelector('#heard-bars');
  for (let d = 0; d < 10; d++) {
    const li = document.createElement('li');
    li.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="value">0.0%</span>`;
    bars.append(li);
  }
  return section;
}

function show(section, { digit, probabilities }) {
  section.querySelector('#heard').textContent = String(digit);
  section.querySelector('#heard-confidence').textContent = `${(probabilities[digit] * 100).toFixed(1)}% sure`;
  [...section.querySelectorAll('#heard-bars li')].forEach((li, d) => {
    li.classList.toggle('top', d === digit);
    li.querySelector('.fill').style.width = `${(probabilities[d] * 100).toFixed(1)}%`;
    li.querySelector('.value').textContent = `${(probabilities[d] * 100).toFixed(1)}%`;
  });
}

async function start() {
  const info = await (await fetch('api/model')).json();
  if (info.input !== 'speech') return;
  const main = document.querySelector('main');
  for (const s of main.querySelectorAll(':scope > section')) s.hidden = true;
  // Where the image model runs does not apply: recordings are read on the server.
  const where = document.getElementById('where');
  if (where) where.hidden = true;
  const section = build();
  main.prepend(section);
  const button = section.querySelector('#record');
  const error = section.querySelector('#speech-error');
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
    button.disabled = true;
    error.textContent = 'this browser cannot record here (the microphone needs https or localhost)';
    error.hidden = false;
    return;
  }
  button.addEventListener('click', async () => {
    const id = Number(section.dataset.asked) + 1;
    section.dataset.asked = String(id);
    button.disabled = true;
    error.hidden = true;
    section.querySelector('#heard-confidence').textContent = 'listening…';
    try {
      const wav = await record(SECONDS);
      section.querySelector('#heard-confidence').textContent = 'thinking…';
      const res = await fetch('api/predict', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: wav });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
      show(section, answer);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      section.querySelector('#heard-confidence').textContent = 'no answer';
    } finally {
      button.disabled = false;
      section.dataset.shown = String(id);
    }
  });
}

void start();
