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
/** Decodes by content, not by extension: a misnamed file still works, a non-image gets a clear error. */
export declare function decodeImage(bytes: Uint8Array, file: string): Rgba;
