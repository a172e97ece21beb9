/**
 * A decoded picture as a natural-image model sees it: resized (area averaging down, linear
 * interpolation up, as mnistify does) to the model's height × width, no cropping or centring,
 * channels as planes in [0, 1]: red, green and blue for three, luma (ITU-R BT.601) for one.
 */
import type { Rgba } from './decode.ts';
import { resize } from './mnistify.ts';

const LUMA = [0.299, 0.587, 0.114];

export function toPlanes(image: Rgba, shape: readonly number[]): Float32Array {
  const [c, h, w] = shape;
  if (shape.length !== 3 || !(c === 1 || c === 3)) throw new Error(`images become 1 or 3 channel planes, not [${shape.join(', ')}]`);
  const n = image.width * image.height;
  const out = new Float32Array(c * h * w);
  const plane = new Float32Array(n);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < n; i++) {
      const d = image.data;
      plane[i] = c === 3 ? d[4 * i + ch] / 255 : (LUMA[0] * d[4 * i] + LUMA[1] * d[4 * i + 1] + LUMA[2] * d[4 * i + 2]) / 255;
    }
    const sized = image.width === w && image.height === h ? plane : resize(plane, image.width, image.height, w, h);
    for (let i = 0; i < h * w; i++) out[ch * h * w + i] = Math.min(1, Math.max(0, sized[i]));
  }
  return out;
}
