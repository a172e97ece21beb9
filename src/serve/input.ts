/**
 * Request bodies to the 28×28 image the model sees: a PNG or JPEG goes through the same MNIST
 * preprocessing as `wgnn predict`; JSON pixels are taken as already preprocessed.
 */
import { decodeImage, ImageError } from '../image/decode.ts';
import { modelInput, type InputSpec } from '../image/model-input.ts';

/** An error the client caused, with the status that says so; the message goes back verbatim. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export const imageTypes = ['image/png', 'image/jpeg'] as const;
export const acceptedTypes = [...imageTypes, 'application/json'] as const;

/** The media type without parameters (`; charset=utf-8`), lower-cased; '' when absent. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

export interface ModelInput {
  pixels: Float32Array;
  /** a dark-on-light image was inverted to MNIST's light-on-dark */
  inverted: boolean;
}

function fromImage(body: Buffer, spec: InputSpec): ModelInput {
  let image;
  try {
    image = decodeImage(body, 'body');
  } catch (e) {
    // An unrecognised signature is another media type than declared; a broken file is a bad request.
    const unsupported = e instanceof ImageError && /unrecognised signature|empty/.test(e.message);
    throw new HttpError(unsupported ? 415 : 400, (e as Error).message.replace(/^body: /, 'the request body: '));
  }
  try {
    return modelInput(image, spec);
  } catch (e) {
    throw new HttpError(400, `the image: ${(e as Error).message}`);
  }
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

function fromJson(body: Buffer, spec: InputSpec): ModelInput {
  const [c, h, w] = spec.shape;
  const PIXELS = c * h * w;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `the request body is not valid JSON (${(e as Error).message})`);
  }
  const grid = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { pixels?: unknown }).pixels : value;
  let flat: number[];
  if (isNumberArray(grid) && grid.length === PIXELS) {
    flat = grid;
  } else if (c === 1 && Array.isArray(grid) && grid.length === h && grid.every((row) => isNumberArray(row) && row.length === w)) {
    flat = (grid as number[][]).flat();
  } else {
    const planes = c === 1 ? `a ${h}×${w} array of numbers (rows of ${w})` : `${c} planes of ${h}×${w} one after another`;
    throw new HttpError(400, `expected {"pixels": [${PIXELS} numbers]} (${planes}), top-level or as "pixels"`);
  }
  const bad = flat.findIndex((x) => !Number.isFinite(x) || x < 0 || x > 1);
  if (bad >= 0) throw new HttpError(400, `pixel ${bad} is ${flat[bad]}: values must lie in [0, 1] (divide 0–255 values by 255)${spec.digits ? ', light ink on black' : ''}`);
  return { pixels: Float32Array.from(flat), inverted: false };
}

/** Throws HttpError 415 unless the Content-Type is one the API reads. */
export function checkType(contentType: string | undefined): void {
  const type = mediaType(contentType);
  if (!(acceptedTypes as readonly string[]).includes(type)) {
    throw new HttpError(415, `unsupported content type ${type ? `"${type}"` : '(none)'}: send ${acceptedTypes.join(', ')}`);
  }
}

/** Parses a body by its declared type into the input `spec` describes; throws HttpError 415 for other types, 400 for bad contents. */
export function parseInput(contentType: string | undefined, body: Buffer, spec: InputSpec): ModelInput {
  checkType(contentType);
  return mediaType(contentType) === 'application/json' ? fromJson(body, spec) : fromImage(body, spec);
}
