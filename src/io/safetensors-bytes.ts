/**
 * The safetensors format to and from bytes, checked field by field: no Node, so the page's bundle
 * reads the weights the server sends with the same checks as `wgnn predict`.
 */
import type { HostTensor } from '../tensor/storage.ts';

/** A model file that cannot be written or read; the message names the file, the tensor and the field. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    readonly tensor?: string,
    readonly field?: string,
  ) {
    const where = [tensor === undefined ? '' : `tensor "${tensor}"`, field ?? ''].filter(Boolean).join(', ');
    super(`${file}: ${where ? `${where}: ` : ''}${detail}`);
    this.name = 'ModelFileError';
  }
}

export type NamedTensor = HostTensor;

export interface Safetensors {
  tensors: Record<string, NamedTensor>;
  metadata: Record<string, string>;
}

// The spec caps the header so that a corrupt length cannot make a reader allocate gigabytes.
export const MAX_HEADER_BYTES = 100_000_000;
export const METADATA_KEY = '__metadata__';

// Byte-sized dtypes of the spec, so any valid file is validated; only F32 is converted.
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8, C64: 8,
};

function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

const isDim = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Float32 tensors (and optional string metadata) as a safetensors file's bytes, in the order given;
 * `path` names the file in errors.
 */
export function encodeSafetensors(
  path: string,
  tensors: Record<string, NamedTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  // No prototype, so a tensor named "__proto__" is stored as a key rather than swapping the prototype.
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) header[METADATA_KEY] = metadata;
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, { shape, data }] of entries) {
    if (name === METADATA_KEY) throw new ModelFileError(path, `the name is reserved for metadata`, name);
    if (shape.some((d) => !isDim(d))) {
      throw new ModelFileError(path, `expected non-negative integers, got [${shape.join(', ')}]`, name, 'shape');
    }
    if (product(shape) !== data.length) {
      throw new ModelFileError(
        path,
        `shape [${shape.join(', ')}] holds ${product(shape)} values but the data has ${data.length}`,
        name,
        'data',
      );
    }
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new ModelFileError(path, `refusing to write ${data[bad]} (at index ${bad}): only finite values are saved`, name, 'data');
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.length * 4] };
    offset += data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Padding to 8 bytes keeps the byte buffer aligned for readers that map it as typed arrays.
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, { data }] of entries) {
    for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i], true);
  }
  return bytes;
}

export interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Reads a safetensors file's bytes, checking everything the spec demands before trusting any offset; `path` names it in errors. */
export function decodeSafetensors(bytes: Uint8Array, path: string): Safetensors {
  const fail = (detail: string, tensor?: string, field?: string): ModelFileError =>
    new ModelFileError(path, detail, tensor, field);
  if (bytes.length < 8) {
    throw fail(`truncated: expected an 8-byte header length, the file has ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file?`);
  }
  const n = Number(headerLength);
  if (8 + n > bytes.length) {
    throw fail(`truncated: header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  }
  const header = parseHeader(bytes.subarray(8, 8 + n), fail);
  const buffer = bytes.subarray(8 + n);

  const metadata = readMetadata(header[METADATA_KEY], fail);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => readEntry(name, info, fail));
  checkCoverage(entries, buffer.length, fail);

  const data = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const tensors = entries.map(({ name, dtype, shape, begin }): [string, NamedTensor] => {
    if (dtype !== 'F32') throw fail(`${dtype} is valid safetensors but only F32 can be loaded`, name, 'dtype');
    const values = new Float32Array(product(shape));
    for (let i = 0; i < values.length; i++) values[i] = data.getFloat32(begin + 4 * i, true);
    // NaN weights would load and predict "-1 (NaN%)"; a file that holds them is refused instead.
    const bad = firstNonFinite(values);
    if (bad >= 0) throw fail(`holds ${values[bad]} at index ${bad}: the weights are not finite (saved after training diverged?)`, name, 'data');
    return [name, { shape, data: values }];
  });
  // fromEntries defines own properties, so a tensor named "__proto__" cannot reach the prototype.
  return { tensors: Object.fromEntries(tensors), metadata };
}

export type Fail = (detail: string, tensor?: string, field?: string) => ModelFileError;

export function parseHeader(raw: Uint8Array, fail: Fail): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    throw fail(`header must be a JSON object starting with "{", found ${JSON.stringify(text.slice(0, 16))}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw fail(`header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw fail('header must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function readMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('expected an object of strings', undefined, METADATA_KEY);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw fail(`expected a string, got ${JSON.stringify(item)}`, undefined, `${METADATA_KEY}.${key}`);
    }
  }
  return value as Record<string, string>;
}

export function readEntry(name: string, info: unknown, fail: Fail): Entry {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw fail('expected an object with dtype, shape and data_offsets', name);
  }
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string') throw fail(`expected a string, got ${JSON.stringify(dtype)}`, name, 'dtype');
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) {
    const known = Object.keys(DTYPE_BYTES).join(', ');
    throw fail(`unknown dtype ${JSON.stringify(dtype)}, expected one of ${known}`, name, 'dtype');
  }
  if (!Array.isArray(shape) || !shape.every(isDim)) {
    throw fail(`expected an array of non-negative integers, got ${JSON.stringify(shape)}`, name, 'shape');
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isDim) || offsets[0] > offsets[1]) {
    throw fail(`expected [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`, name, 'data_offsets');
  }
  const [begin, end] = offsets as [number, number];
  const expected = product(shape) * size;
  if (end - begin !== expected) {
    throw fail(
      `spans ${end - begin} bytes but shape ${JSON.stringify(shape)} of ${dtype} needs ${expected}`,
      name,
      'data_offsets',
    );
  }
  return { name, dtype, shape, begin, end };
}

/** The spec forbids holes and overlaps: sorted by begin, the tensors must tile the byte buffer exactly. */
function checkCoverage(entries: Entry[], bufferLength: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: string | undefined;
  for (const { name, begin, end } of sorted) {
    const after = previous === undefined ? 'the start of the byte buffer' : `tensor "${previous}" (ends at ${cursor})`;
    if (begin < cursor) throw fail(`begins at ${begin}, overlapping ${after}`, name, 'data_offsets');
    if (begin > cursor) {
      throw fail(`begins at ${begin}, leaving a ${begin - cursor}-byte gap after ${after}`, name, 'data_offsets');
    }
    if (end > bufferLength) {
      throw fail(`truncated: ends at ${end} but the byte buffer has ${bufferLength} bytes`, name, 'data_offsets');
    }
    cursor = end;
    previous = name;
  }
  if (cursor < bufferLength) {
    const unused = bufferLength - cursor;
    throw fail(`${unused} bytes after the last tensor belong to no tensor (byte buffer is ${bufferLength} bytes)`);
  }
}
