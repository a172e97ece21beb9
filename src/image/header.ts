/**
 * What is known of an image before decoding it: its kind from the signature and its size from the
 * header, so that an oversized one is refused before any memory is spent on it. Free of Node and
 * of the decoders, so the page's bundle shares it with the server.
 */

export interface Rgba {
  width: number;
  height: number;
  /** width × height × 4 bytes */
  data: Uint8Array;
}

/** A file that is not a readable PNG or JPEG; the message names the file. */
export class ImageError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ImageError';
  }
}

export const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
export const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * The most pixels decoded (4096 × 4096, a 12-megapixel phone photo fits): a 100 KB PNG can
 * claim 10000 × 10000 and inflate to 400 MB, so the size is read from the header and refused
 * before any decoding.
 */
export const MAX_PIXELS = 4096 * 4096;

/** JPEG's start-of-frame markers (baseline, progressive, lossless, arithmetic), which hold the size. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Width and height from a PNG's IHDR or a JPEG's frame header, without decoding; null when absent. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const u16 = (i: number) => (bytes[i] << 8) | bytes[i + 1];
  const u32 = (i: number) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  if (isPng(bytes)) {
    // The signature, then the IHDR chunk: length, "IHDR", width, height.
    if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
    return { width: u32(16), height: u32(20) };
  }
  if (isJpeg(bytes)) {
    for (let i = 2; i + 9 < bytes.length; ) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1];
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2; // markers without a length
        continue;
      }
      if (SOF.has(marker)) return { width: u16(i + 7), height: u16(i + 5) };
      if (marker === 0xda || marker === 0xd9) return null; // scan data or the end before any frame header
      i += 2 + u16(i + 2);
    }
  }
  return null;
}


/**
 * The kind of an image whose header passes: not empty, a PNG or JPEG signature, a readable size
 * within `maxPixels`. Throws ImageError naming `file` otherwise.
 */
export function checkImageHeader(bytes: Uint8Array, file: string, maxPixels = MAX_PIXELS): 'png' | 'jpeg' {
  if (bytes.length === 0) throw new ImageError(file, 'the file is empty');
  if (!isPng(bytes) && !isJpeg(bytes)) throw new ImageError(file, 'not a PNG or JPEG file (unrecognised signature)');
  const size = imageSize(bytes);
  if (!size) throw new ImageError(file, `cannot decode the image (no ${isPng(bytes) ? 'IHDR chunk' : 'frame header'} giving its size)`);
  if (size.width * size.height > maxPixels) {
    throw new ImageError(file, `the image is ${size.width}×${size.height} pixels; at most ${maxPixels.toLocaleString('en-US')} pixels are decoded (scale it down)`);
  }
  return isPng(bytes) ? 'png' : 'jpeg';
}
