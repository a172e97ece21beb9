/** Small grayscale PNGs (28×28 digits) through pngjs. */
import { PNG } from 'pngjs';

/** Encodes `gray` (values in [0, 1], row-major) as an 8-bit PNG, each pixel drawn as `zoom`×`zoom`. */
export function grayPng(gray: ArrayLike<number>, width: number, height: number, zoom = 1): Buffer {
  const png = new PNG({ width: width * zoom, height: height * zoom, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const out = Buffer.alloc(width * zoom * height * zoom);
  for (let y = 0; y < height * zoom; y++) {
    for (let x = 0; x < width * zoom; x++) {
      const v = gray[Math.floor(y / zoom) * width + Math.floor(x / zoom)];
      out[y * width * zoom + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
  }
  png.data = out;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

export const dataUri = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/** Encodes one image of [channels, height, width] planes in [0, 1] (1: grey, 3: RGB) as a PNG, each pixel drawn `zoom`×`zoom`. */
export function planesPng(planes: ArrayLike<number>, shape: readonly number[], zoom = 1): Buffer {
  const [c, h, w] = shape;
  if (c === 1) return grayPng(planes, w, h, zoom);
  if (c !== 3) throw new Error(`a ${c}-channel image cannot be drawn: expected 1 or 3 channels`);
  const png = new PNG({ width: w * zoom, height: h * zoom });
  for (let y = 0; y < h * zoom; y++) {
    for (let x = 0; x < w * zoom; x++) {
      const src = Math.floor(y / zoom) * w + Math.floor(x / zoom);
      const at = 4 * (y * w * zoom + x);
      for (let ch = 0; ch < 3; ch++) png.data[at + ch] = Math.round(Math.min(1, Math.max(0, planes[ch * h * w + src])) * 255);
      png.data[at + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
