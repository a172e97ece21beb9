import { type BackendName } from '../backends/select.ts';
import { type Evaluation } from '../io/report.ts';
export interface EvaluateOptions {
    backend: BackendName;
    data?: string;
    limit?: number;
    json: boolean;
    /** how many misclassified images the grid shows */
    worst: number;
}
export declare function evaluateRun(dir: string, o: EvaluateOptions): Promise<Evaluation>;
