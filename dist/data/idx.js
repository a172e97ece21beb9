import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
/** A data file that is missing or malformed; the message names the file and what was expected. */
export class DataError extends Error {
    file;
    constructor(file, detail) {
        super(`${file}: ${detail}`);
        this.file = file;
        this.name = 'DataError';
    }
}
// Type codes from the IDX format; only unsigned bytes are read, the rest are named in errors.
const DTYPE_NAMES = {
    0x08: 'unsigned byte',
    0x09: 'signed byte',
    0x0b: 'int16',
    0x0c: 'int32',
    0x0d: 'float32',
    0x0e: 'float64',
};
const UBYTE = 0x08;
const hex = (value, digits) => `0x${value.toString(16).padStart(digits, '0')}`;
/** Reads an IDX file, plain or gzipped; `expectedDims` pins the magic (3 for images, 1 for labels). */
export function readIdx(path, expectedDims) {
    let bytes;
    try {
        bytes = readFileSync(path);
    }
    catch (err) {
        const code = err.code;
        throw new DataError(path, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`);
    }
    return parseIdx(bytes, path, expectedDims);
}
/** Parses IDX bytes; `name` is only used in error messages. */
export function parseIdx(bytes, name, expectedDims) {
    // Detect gzip by content rather than extension: mirrors often serve gzipped files under the plain name.
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
            bytes = gunzipSync(bytes);
        }
        catch (err) {
            throw new DataError(name, `corrupt gzip data (${err.message})`);
        }
    }
    if (bytes.length < 4) {
        throw new DataError(name, `truncated: expected a 4-byte IDX magic number, found ${bytes.length} bytes`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = view.getUint32(0, false);
    const dtype = bytes[2];
    const ndims = bytes[3];
    const expectedMagic = expectedDims === undefined ? '0x000008NN (NN = number of dims)' : hex((UBYTE << 8) | expectedDims, 8);
    if (bytes[0] !== 0 || bytes[1] !== 0) {
        throw new DataError(name, `wrong magic number ${hex(magic, 8)}, expected ${expectedMagic}; is this an IDX file?`);
    }
    if (dtype !== UBYTE) {
        const known = DTYPE_NAMES[dtype];
        throw new DataError(name, `unsupported dtype ${hex(dtype, 2)}${known ? ` (${known})` : ''}, expected 0x08 (unsigned byte)`);
    }
    // Images and labels share the dtype, so the dims byte is what tells a swapped file apart.
    if (expectedDims !== undefined && ndims !== expectedDims) {
        throw new DataError(name, `wrong magic number ${hex(magic, 8)} (${ndims} dims), expected ${expectedMagic} (${expectedDims} dims)`);
    }
    const headerBytes = 4 + 4 * ndims;
    if (bytes.length < headerBytes) {
        throw new DataError(name, `truncated: the header of ${ndims} dims needs ${headerBytes} bytes, found ${bytes.length}`);
    }
    const dims = [];
    let count = 1;
    for (let d = 0; d < ndims; d++) {
        const size = view.getUint32(4 + 4 * d, false);
        dims.push(size);
        count *= size;
    }
    const expectedBytes = headerBytes + count;
    if (bytes.length < expectedBytes) {
        throw new DataError(name, `truncated: dims [${dims.join(', ')}] need ${expectedBytes} bytes, found ${bytes.length}`);
    }
    if (bytes.length > expectedBytes) {
        throw new DataError(name, `trailing bytes: dims [${dims.join(', ')}] need ${expectedBytes} bytes, found ${bytes.length}`);
    }
    return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, count) };
}
