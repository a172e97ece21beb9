/** Classification metrics from labels and predictions, computed on the host as scikit-learn does. */
export declare const DIGITS = 10;
/** matrix[true][predicted] */
export declare function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes?: number): number[][];
/** Index of the largest of each row of `probs` (rows of `classes`). */
export declare function argmaxRows(probs: ArrayLike<number>, classes?: number): Uint8Array;
export interface ClassRow {
    label: string;
    precision: number;
    recall: number;
    f1: number;
    support: number;
}
export interface ClassificationReport {
    classes: ClassRow[];
    accuracy: number;
    macro: ClassRow;
    weighted: ClassRow;
    total: number;
}
/** scikit-learn's classification_report: an undefined ratio (nothing predicted, or no support) counts as 0. */
export declare function classificationReport(m: number[][]): ClassificationReport;
/** The text scikit-learn prints, with its column widths and two decimals. */
export declare function formatClassificationReport(r: ClassificationReport, digits?: number): string;
export interface ConfusedPair {
    true: number;
    predicted: number;
    count: number;
}
/** The largest off-diagonal cells, largest first (ties: smaller true label, then predicted). */
export declare function mostConfused(m: number[][], top?: number): ConfusedPair[];
/** The confusion matrix as aligned text, true labels down, predictions across. */
export declare function formatConfusionMatrix(m: number[][]): string;
