/** PNG (any colour type and bit depth, through pngjs) and JPEG (through jpeg-js) to 8-bit RGBA. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
/** A file that is not a readable PNG or JPEG; the message names the file. */
export class ImageError extends Error {
    file;
    constructor(file, detail) {
        super(`${file}: ${detail}`);
        this.file = file;
        this.name = 'ImageError';
    }
}
const isPng = (b) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
/** Decodes by content, not by extension: a misnamed file still works, a non-image gets a clear error. */
export function decodeImage(bytes, file) {
    if (bytes.length === 0)
        throw new ImageError(file, 'the file is empty');
    try {
        if (isPng(bytes)) {
            // pngjs expands gray, palette and 16-bit images to 8-bit RGBA.
            const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
            return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
        }
        if (isJpeg(bytes)) {
            const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
            return { width: img.width, height: img.height, data: img.data };
        }
    }
    catch (e) {
        throw new ImageError(file, `cannot decode the image (${e.message})`);
    }
    throw new ImageError(file, 'not a PNG or JPEG file (unrecognised signature)');
}
