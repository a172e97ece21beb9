/**
 * The worker side of ParseWorker: bodies arrive as (id, content type, bytes) and go back parsed
 * to the 28×28 input, or as the HttpError they deserve. Decoding and preprocessing a large photo
 * takes long enough to stall every other request, so it never runs on the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import type { InputSpec } from '../image/model-input.ts';
import { HttpError, parseInput } from './input.ts';
import { isAudioType, parseAudio } from './speech.ts';

export interface ParseRequest {
  id: number;
  contentType: string;
  body: Uint8Array;
  spec: InputSpec;
}

export type ParseReply = { id: number; pixels: Float32Array; inverted: boolean } | { id: number; status: number; message: string };

parentPort!.on('message', ({ id, contentType, body, spec }: ParseRequest) => {
  let reply: ParseReply;
  try {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const input = isAudioType(contentType) ? parseAudio(bytes) : parseInput(contentType, bytes, spec);
    reply = { id, ...input };
  } catch (e) {
    reply = { id, status: e instanceof HttpError ? e.status : 500, message: (e as Error).message };
  }
  parentPort!.postMessage(reply, 'pixels' in reply ? [reply.pixels.buffer as ArrayBuffer] : []);
});
