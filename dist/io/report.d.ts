export declare const EVALUATION_FILE = "evaluation.json";
export declare const INSPECTION_FILE = "inspection.json";
export interface Evaluation {
    count: number;
    loss: number;
    accuracy: number;
    confusion: number[][];
    report: string;
    confused: {
        true: number;
        predicted: number;
        count: number;
    }[];
}
export interface Inspection {
    layers: {
        name: string;
        shape: number[];
        params: number;
        mean: number;
        std: number;
        min: number;
        max: number;
        l2: number;
        nearZero: number;
    }[];
    total: number;
    trainable: number;
}
export declare function writeReport(dir: string): string;
