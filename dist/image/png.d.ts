/** Encodes `gray` (values in [0, 1], row-major) as an 8-bit PNG, each pixel drawn as `zoom`×`zoom`. */
export declare function grayPng(gray: ArrayLike<number>, width: number, height: number, zoom?: number): Buffer;
export declare const dataUri: (png: Uint8Array) => string;
