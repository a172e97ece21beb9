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
export declare function predictFiles(dir: string, files: string[], o: PredictOptions): Promise<PredictResult[]>;
