// The drawing pad: pointer events (mouse, pen and touch alike), light ink on black as MNIST's.
// `onStroke` is called when a stroke ends.
export function createPad(canvas, onStroke) {
  const ink = canvas.getContext('2d', { willReadFrequently: true });
  const brush = canvas.width / 15; // about MNIST's stroke width once the digit is scaled to its 20-pixel box
  let last = null;

  function clear() {
    ink.fillStyle = '#000';
    ink.fillRect(0, 0, canvas.width, canvas.height);
  }
  clear();

  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * canvas.width) / r.width, y: ((e.clientY - r.top) * canvas.height) / r.height };
  };
  function segment(a, b) {
    ink.strokeStyle = '#fff';
    ink.lineWidth = brush;
    ink.lineCap = 'round';
    ink.lineJoin = 'round';
    ink.beginPath();
    ink.moveTo(a.x, a.y);
    ink.lineTo(b.x, b.y);
    ink.stroke();
  }
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    segment(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
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
    onStroke();
  }
  canvas.addEventListener('pointerup', endStroke);
  canvas.addEventListener('pointercancel', endStroke);

  return {
    clear,
    /** An uploaded image, shown fitted inside the pad for reference. */
    showImage(bitmap) {
      const s = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
      ink.drawImage(bitmap, (canvas.width - bitmap.width * s) / 2, (canvas.height - bitmap.height * s) / 2, bitmap.width * s, bitmap.height * s);
    },
    /** The pad's pixels as { width, height, data: RGBA bytes }, what the server decodes from its PNG. */
    rgba() {
      const d = ink.getImageData(0, 0, canvas.width, canvas.height);
      return { width: d.width, height: d.height, data: new Uint8Array(d.data.buffer) };
    },
    png: () => new Promise((resolve) => canvas.toBlob(resolve, 'image/png')),
  };
}
