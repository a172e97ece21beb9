export interface Rgba {
    width: number;
    height: number;
    /** width × height × 4 bytes */
    data: Uint8Array;
}
/** A file that is not a readable PNG or JPEG; the message names the file. */
export declare class ImageError extends Error {
    readonly file: string;
    constructor(file: string, detail: string);
}
/**
 * The most pixels decoded (4096 × 4096, a 12-megapixel phone photo fits): a 100 KB PNG can
 * claim 10000 × 10000 and inflate to 400 MB, so the size is read from the header and refused
 * before any decoding.
 */
export declare const MAX_PIXELS: number;
/** Width and height from a PNG's IHDR or a JPEG's frame header, without decoding; null when absent. */
export declare function imageSize(bytes: Uint8Array): {
    width: number;
    height: number;
} | null;
/** Decodes by content, not by extension: a misnamed file still works, a non-image gets a clear error. */
export declare function decodeImage(bytes: Uint8Array, file: string, maxPixels?: number): Rgba;
