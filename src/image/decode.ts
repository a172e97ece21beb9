/** PNG (any colour type and bit depth, through pngjs) and JPEG (through jpeg-js) to 8-bit RGBA. */
import { PNG } from 'pngjs';
import { checkImageHeader, ImageError, MAX_PIXELS, type Rgba } from './header.ts';
import { decodeJpeg } from './jpeg.ts';

export { ImageError, imageSize, MAX_PIXELS, type Rgba } from './header.ts';

/** Decodes by content, not by extension: a misnamed file still works, a non-image gets a clear error. */
export function decodeImage(bytes: Uint8Array, file: string, maxPixels = MAX_PIXELS): Rgba {
  const kind = checkImageHeader(bytes, file, maxPixels);
  try {
    if (kind === 'png') {
      // pngjs expands gray, palette and 16-bit images to 8-bit RGBA.
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    return decodeJpeg(bytes, maxPixels);
  } catch (e) {
    throw new ImageError(file, `cannot decode the image (${(e as Error).message})`);
  }
}
