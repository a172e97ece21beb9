/** A data file that is missing or malformed; the message names the file and what was expected. */
export declare class DataError extends Error {
    readonly file: string;
    constructor(file: string, detail: string);
}
export interface Idx {
    dims: number[];
    /** Row-major values; a view into the file's bytes, not a copy. */
    data: Uint8Array;
}
/** Reads an IDX file, plain or gzipped; `expectedDims` pins the magic (3 for images, 1 for labels). */
export declare function readIdx(path: string, expectedDims?: number): Idx;
/** Parses IDX bytes; `name` is only used in error messages. */
export declare function parseIdx(bytes: Uint8Array, name: string, expectedDims?: number): Idx;
