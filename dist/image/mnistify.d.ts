/**
 * Turns any photo or drawing of one digit into what MNIST's creators made of theirs: grayscale,
 * light ink on black, cropped to the digit, scaled to fit a 20×20 box keeping the aspect ratio
 * (anti-aliased), and placed in a 28×28 field with its centre of mass at the centre.
 */
import type { Rgba } from './decode.ts';
export declare const SIDE = 28;
export interface Preprocessed {
    /** 28 × 28 values in [0, 1], light digit on black */
    pixels: Float32Array;
    /** the input had a light background and was inverted */
    inverted: boolean;
}
/** Throws when the image holds nothing to read (a blank page). */
export declare function mnistify(img: Rgba): Preprocessed;
