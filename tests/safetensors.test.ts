import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { ModelFileError, loadSafetensors, saveSafetensors, type NamedTensor } from '../src/io/safetensors.ts';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-st-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileNo = 0;
const freshPath = (): string => join(tmp, `model-${fileNo++}.safetensors`);

/** Deterministic non-zero values, so a dropped or shifted float cannot pass unnoticed. */
function randomTensor(shape: number[], seed: number): NamedTensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 8 + (i % 2 === 0 ? 1e-3 : -1e-3);
  }
  return { shape, data };
}

/** Writes a file from a header object and a byte buffer, laid out exactly as the spec says. */
function writeRaw(header: unknown, buffer: Uint8Array, headerText = JSON.stringify(header)): string {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + buffer.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(buffer, 8 + json.length);
  const path = freshPath();
  writeFileSync(path, out);
  return path;
}

function errorOf(path: string): ModelFileError {
  try {
    loadSafetensors(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelFileError);
    return err as ModelFileError;
  }
  throw new Error(`expected ${path} to be rejected, it loaded`);
}

describe('safetensors', () => {
  it('round-trips tensors of odd shapes and metadata', () => {
    const tensors = {
      'conv1.weight': randomTensor([5, 1, 3, 3], 1),
      'conv1.bias': randomTensor([5], 2),
      'dense.weight': randomTensor([7, 13], 3),
      scalar: randomTensor([], 4),
      empty: randomTensor([0, 3], 5),
      ['__proto__']: randomTensor([2], 6),
    };
    const path = freshPath();
    saveSafetensors(path, tensors, { format: 'wgnn', epoch: '3' });
    const loaded = loadSafetensors(path);
    expect(loaded.metadata).toEqual({ format: 'wgnn', epoch: '3' });
    expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, { shape, data }] of Object.entries(tensors)) {
      expect(loaded.tensors[name].shape).toEqual(shape);
      expect(loaded.tensors[name].data).toEqual(data);
    }
  });

  it('lays out the header as the spec says', () => {
    const path = freshPath();
    const a = randomTensor([2, 3], 7);
    const b = randomTensor([3], 8);
    saveSafetensors(path, { a, b }, { note: 'hi' });
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = bytes.subarray(8, 8 + n).toString('utf8');
    expect(text[0]).toBe('{');
    expect(text).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(text);
    expect(header).toEqual({
      __metadata__: { note: 'hi' },
      a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      b: { dtype: 'F32', shape: [3], data_offsets: [24, 36] },
    });
    expect(bytes.length).toBe(8 + n + 36);
    // Little-endian float32 at the offsets the header gives.
    expect(view.getFloat32(8 + n + 4, true)).toBe(a.data[1]);
    expect(view.getFloat32(8 + n + 24 + 8, true)).toBe(b.data[2]);
  });

  it('refuses to write data that does not match its shape', () => {
    expect(() => saveSafetensors(freshPath(), { w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(
      /tensor "w", data: shape \[2, 2\] holds 4 values but the data has 3/,
    );
  });

  describe('rejects corrupt files with a ModelFileError', () => {
    const f32 = (n: number): Uint8Array => new Uint8Array(new Float32Array(n).fill(1.5).buffer);

    it('truncated file', () => {
      const path = freshPath();
      saveSafetensors(path, { w: randomTensor([4, 4], 1) });
      const bytes = readFileSync(path);
      writeFileSync(path, bytes.subarray(0, bytes.length - 5));
      expect(errorOf(path).message).toMatch(
        /tensor "w", data_offsets: truncated: ends at 64 but the byte buffer has 59 bytes/,
      );
      writeFileSync(path, bytes.subarray(0, 5));
      expect(errorOf(path).message).toMatch(/truncated: expected an 8-byte header length, the file has 5 bytes/);
    });

    it('header length larger than the file', () => {
      const path = writeRaw({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1));
      const bytes = readFileSync(path);
      new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(0, 5000n, true);
      writeFileSync(path, bytes);
      expect(errorOf(path).message).toMatch(/header length 5000 runs past the end of the file/);
      new DataView(bytes.buffer, bytes.byteOffset).setBigUint64(0, 2n ** 40n, true);
      writeFileSync(path, bytes);
      expect(errorOf(path).message).toMatch(/exceeds the 100000000-byte limit/);
    });

    it('overlapping offsets', () => {
      const path = writeRaw(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        f32(3),
      );
      expect(errorOf(path).message).toMatch(/tensor "b", data_offsets: begins at 4, overlapping tensor "a"/);
    });

    it('gap in offsets', () => {
      const path = writeRaw(
        {
          b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        },
        f32(3),
      );
      expect(errorOf(path).message).toMatch(
        /tensor "b", data_offsets: begins at 8, leaving a 4-byte gap after tensor "a"/,
      );
      const trailing = writeRaw({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2));
      expect(errorOf(trailing).message).toMatch(/4 bytes after the last tensor belong to no tensor/);
    });

    it('shape and byte count mismatch', () => {
      const path = writeRaw({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, f32(5));
      expect(errorOf(path).message).toMatch(
        /tensor "w", data_offsets: spans 20 bytes but shape \[2,3\] of F32 needs 24/,
      );
      const negative = writeRaw({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1));
      expect(errorOf(negative).message).toMatch(/tensor "w", shape: expected an array of non-negative integers/);
    });

    it('unknown dtype', () => {
      const path = writeRaw({ w: { dtype: 'F31', shape: [1], data_offsets: [0, 4] } }, f32(1));
      expect(errorOf(path).message).toMatch(/tensor "w", dtype: unknown dtype "F31", expected one of/);
      const f64 = writeRaw({ w: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, f32(2));
      expect(errorOf(f64).message).toMatch(/tensor "w", dtype: F64 is valid safetensors but only F32 can be loaded/);
    });

    it('non-JSON header', () => {
      const path = writeRaw(null, f32(1), '{"w": {"dtype": "F32", ');
      expect(errorOf(path).message).toMatch(/header is not valid JSON/);
      const array = writeRaw(null, new Uint8Array(0), '[1, 2]   ');
      expect(errorOf(array).message).toMatch(/header must be a JSON object/);
      const missing = writeRaw({ w: { dtype: 'F32', shape: [1] } }, f32(1));
      expect(errorOf(missing).message).toMatch(/tensor "w", data_offsets: expected \[begin, end\]/);
    });
  });
});

describe('writeFileAtomic', () => {
  it('replaces the target and leaves no temp file behind', () => {
    const dir = mkdtempSync(join(tmp, 'atomic-'));
    const path = join(dir, 'out.txt');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, new TextEncoder().encode('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('names the target and removes the temp file when the write fails', () => {
    const dir = mkdtempSync(join(tmp, 'atomic-'));
    // A directory in the way makes the final rename fail, after the temp file was written.
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    expect(() => writeFileAtomic(target, 'x')).toThrow(/taken: cannot write file \(E[A-Z]+\)/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'out.txt'), 'x')).toThrow(
      /missing\/out\.txt: cannot write file \(ENOENT\)/,
    );
  });
});
