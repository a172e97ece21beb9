/**
 * How a picture becomes a model's input: digit models (trained on MNIST) see it through MNIST's
 * own preprocessing (crop, centre, 20×20 box: ./mnistify.ts); every other image model sees the
 * whole picture resized to its [channels, height, width] (./planes.ts), as its data set's pictures were.
 */
import type { Rgba } from './decode.ts';
import { mnistify } from './mnistify.ts';
import { toPlanes } from './planes.ts';

export interface InputSpec {
  /** [channels, height, width] */
  shape: readonly number[];
  /** MNIST's digit preprocessing instead of a plain resize */
  digits: boolean;
}

export function modelInput(image: Rgba, spec: InputSpec): { pixels: Float32Array; inverted: boolean } {
  return spec.digits ? mnistify(image) : { pixels: toPlanes(image, spec.shape), inverted: false };
}

/**
 * A run's input spec from its model's shape and the data set it trained on (absent: MNIST). A
 * model that reads no images (speech features) gets the digit path, whose size it then refuses.
 */
export function inputSpecOf(inputShape: readonly number[], dataset: string | null | undefined): InputSpec {
  return { shape: [...inputShape], digits: inputShape.length !== 3 || (dataset ?? 'mnist') === 'mnist' };
}
