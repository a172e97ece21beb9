import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileAtomic } from './atomic.ts';
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, METADATA_KEY, ModelFileError, parseHeader, readEntry, type Fail, type NamedTensor, type Safetensors } from './safetensors-bytes.ts';

export { decodeSafetensors, encodeSafetensors, ModelFileError, type NamedTensor, type Safetensors } from './safetensors-bytes.ts';

/** Writes float32 tensors (and optional string metadata) atomically, in the order given. */
export function saveSafetensors(path: string, tensors: Record<string, NamedTensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(path, tensors, metadata));
}

/**
 * The tensors' names and shapes from a file's header alone, without reading its data: the model a
 * config describes is checked against them before anything is allocated.
 */
export function readSafetensorsShapes(path: string): Record<string, number[]> {
  const fail: Fail = (detail, tensor, field) => new ModelFileError(path, detail, tensor, field);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`);
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(8);
    if (size < 8 || readSync(fd, head, 0, 8, 0) !== 8) throw fail(`truncated: expected an 8-byte header length, the file has ${size} bytes`);
    const headerLength = head.readBigUInt64LE(0);
    if (headerLength > BigInt(MAX_HEADER_BYTES)) {
      throw fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file?`);
    }
    if (8 + Number(headerLength) > size) throw fail(`truncated: header length ${headerLength} runs past the end of the file (${size} bytes)`);
    const raw = Buffer.alloc(Number(headerLength));
    readSync(fd, raw, 0, raw.length, 8);
    const header = parseHeader(raw, fail);
    const shapes: Record<string, number[]> = Object.create(null);
    for (const [name, info] of Object.entries(header)) if (name !== METADATA_KEY) shapes[name] = readEntry(name, info, fail).shape;
    return shapes;
  } finally {
    closeSync(fd);
  }
}

/** Reads a safetensors file, checking everything the spec demands before trusting any offset. */
export function loadSafetensors(path: string): Safetensors {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelFileError(path, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`);
  }
  return decodeSafetensors(bytes, path);
}
