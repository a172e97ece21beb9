/**
 * Request bodies to the 28×28 image the model sees: a PNG or JPEG goes through the same MNIST
 * preprocessing as `wgnn predict`; JSON pixels are taken as already preprocessed.
 */
import { decodeImage, ImageError } from "../image/decode.js";
import { mnistify, SIDE } from "../image/mnistify.js";
const PIXELS = SIDE * SIDE;
/** An error the client caused, with the status that says so; the message goes back verbatim. */
export class HttpError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'HttpError';
    }
}
export const imageTypes = ['image/png', 'image/jpeg'];
export const acceptedTypes = [...imageTypes, 'application/json'];
/** The media type without parameters (`; charset=utf-8`), lower-cased; '' when absent. */
export function mediaType(header) {
    return (header ?? '').split(';')[0].trim().toLowerCase();
}
function fromImage(body) {
    let image;
    try {
        image = decodeImage(body, 'body');
    }
    catch (e) {
        // An unrecognised signature is another media type than declared; a broken file is a bad request.
        const unsupported = e instanceof ImageError && /unrecognised signature|empty/.test(e.message);
        throw new HttpError(unsupported ? 415 : 400, e.message.replace(/^body: /, 'the request body: '));
    }
    try {
        return mnistify(image);
    }
    catch (e) {
        throw new HttpError(400, `the image: ${e.message}`);
    }
}
const isNumberArray = (v) => Array.isArray(v) && v.every((x) => typeof x === 'number');
function fromJson(body) {
    let value;
    try {
        value = JSON.parse(body.toString('utf8'));
    }
    catch (e) {
        throw new HttpError(400, `the request body is not valid JSON (${e.message})`);
    }
    const grid = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.pixels : value;
    let flat;
    if (isNumberArray(grid) && grid.length === PIXELS) {
        flat = grid;
    }
    else if (Array.isArray(grid) && grid.length === SIDE && grid.every((row) => isNumberArray(row) && row.length === SIDE)) {
        flat = grid.flat();
    }
    else {
        throw new HttpError(400, `expected {"pixels": [${PIXELS} numbers]} or a ${SIDE}×${SIDE} array of numbers (rows of ${SIDE}), top-level or as "pixels"`);
    }
    const bad = flat.findIndex((x) => !Number.isFinite(x) || x < 0 || x > 1);
    if (bad >= 0)
        throw new HttpError(400, `pixel ${bad} is ${flat[bad]}: values must lie in [0, 1] (divide 0–255 values by 255), light ink on black`);
    return { pixels: Float32Array.from(flat), inverted: false };
}
/** Throws HttpError 415 unless the Content-Type is one the API reads. */
export function checkType(contentType) {
    const type = mediaType(contentType);
    if (!acceptedTypes.includes(type)) {
        throw new HttpError(415, `unsupported content type ${type ? `"${type}"` : '(none)'}: send ${acceptedTypes.join(', ')}`);
    }
}
/** Parses a body by its declared type; throws HttpError 415 for other types, 400 for bad contents. */
export function parseInput(contentType, body) {
    checkType(contentType);
    return mediaType(contentType) === 'application/json' ? fromJson(body) : fromImage(body);
}
