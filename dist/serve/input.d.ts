/** An error the client caused, with the status that says so; the message goes back verbatim. */
export declare class HttpError extends Error {
    readonly status: number;
    constructor(status: number, message: string);
}
export declare const imageTypes: readonly ["image/png", "image/jpeg"];
export declare const acceptedTypes: readonly ["image/png", "image/jpeg", "application/json"];
/** The media type without parameters (`; charset=utf-8`), lower-cased; '' when absent. */
export declare function mediaType(header: string | undefined): string;
export interface ModelInput {
    pixels: Float32Array;
    /** a dark-on-light image was inverted to MNIST's light-on-dark */
    inverted: boolean;
}
/** Throws HttpError 415 unless the Content-Type is one the API reads. */
export declare function checkType(contentType: string | undefined): void;
/** Parses a body by its declared type; throws HttpError 415 for other types, 400 for bad contents. */
export declare function parseInput(contentType: string | undefined, body: Buffer): ModelInput;
