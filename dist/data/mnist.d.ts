export declare const IMAGE_SIZE = 28;
export declare const PIXELS: number;
export declare const CLASSES = 10;
export interface Split {
    /** count × 784 pixels scaled to [0, 1]. */
    images: Float32Array;
    /** The same pixels as stored, 0–255: a quarter of the bytes when uploading to a device. */
    pixels: Uint8Array;
    labels: Uint8Array;
    count: number;
}
export interface Mnist {
    train: Split;
    test: Split;
}
/** Loads MNIST from `dir` (standard IDX names, plain or .gz) or, without one, from the bundled copy. */
export declare function loadMnist(dir?: string): Mnist;
/**
 * Holds out the last `fraction` of a split, as Keras's validation_split does (no shuffle), so runs
 * compare against the same validation examples.
 */
export declare function splitValidation(split: Split, fraction: number): {
    train: Split;
    val: Split;
};
/** The first `n` examples (all of them when the split is smaller), for quick runs. */
export declare function limit(split: Split, n: number): Split;
