/**
 * Speech models behind `serve`: a speech model (one that reads [steps, features], the lstm and gru
 * presets) takes WAV recordings on /api/predict, which go through the same front end as
 * `wgnn predict RUN file.wav` (src/audio/features.ts). The page's record button
 * (static/record.js) encodes what the microphone heard as WAV in the browser and sends it here.
 */
import { wavFeatures } from '../audio/features.ts';
import type { Sequential } from '../layers/sequential.ts';
import { HttpError, mediaType, type ModelInput } from './input.ts';

/** The names browsers and tools give WAV files. */
export const audioTypes = ['audio/wav', 'audio/wave', 'audio/x-wav', 'audio/vnd.wave'] as const;

/** A speech model reads [steps, features] sequences; an image model [channels, height, width]. */
export const isSpeechModel = (model: Sequential): boolean => model.inputShape.length === 2;

export const isAudioType = (contentType: string | undefined): boolean => (audioTypes as readonly string[]).includes(mediaType(contentType));

/** Throws HttpError 415 unless the Content-Type is WAV. */
export function checkAudioType(contentType: string | undefined): void {
  if (isAudioType(contentType)) return;
  const type = mediaType(contentType);
  throw new HttpError(415, `unsupported content type ${type ? `"${type}"` : '(none)'}: this model reads speech; send a WAV recording as ${audioTypes.join(', ')}`);
}

/** A WAV body to the model's input; a malformed file is a bad request, with the reader's message. */
export function parseAudio(body: Buffer): ModelInput {
  try {
    return { pixels: wavFeatures(body, 'body'), inverted: false };
  } catch (e) {
    throw new HttpError(400, (e as Error).message.replace(/^body: /, 'the request body: '));
  }
}
