import { type BackendName } from '../backends/select.ts';
export interface PredictOptions {
    backend: BackendName;
    json: boolean;
    /** a directory for the 28×28 inputs the model saw */
    savePreprocessed?: string;
}
export type PredictResult = {
    file: string;
    digit: number;
    probabilities: number[];
    inverted: boolean;
    preprocessed?: string;
} | {
    file: string;
    error: string;
};
/**
 * FILE.28x28.png for each input, distinct even when two inputs share a base name (a/d.png and
 * b/d.png): those take their directories into the name (a_d.png.28x28.png), and a number if needed.
 */
export declare function preprocessedNames(files: readonly string[]): string[];
export declare function predictFiles(dir: string, files: string[], o: PredictOptions): Promise<PredictResult[]>;
