/** Small grayscale PNGs (28×28 digits) through pngjs. */
import { PNG } from 'pngjs';
/** Encodes `gray` (values in [0, 1], row-major) as an 8-bit PNG, each pixel drawn as `zoom`×`zoom`. */
export function grayPng(gray, width, height, zoom = 1) {
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
export const dataUri = (png) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
