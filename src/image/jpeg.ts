/** JPEG to 8-bit RGBA through jpeg-js (plain JavaScript), the same decoder on the server and in the page. */
import jpeg from 'jpeg-js';
import { MAX_PIXELS, type Rgba } from './header.ts';

/** Decodes a JPEG whose header was checked; jpeg-js's own limits are set from `maxPixels` as a second guard. */
export function decodeJpeg(bytes: Uint8Array, maxPixels = MAX_PIXELS): Rgba {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 2 ** 20) + 64 });
  return { width: img.width, height: img.height, data: img.data };
}
