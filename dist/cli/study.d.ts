/** `wgnn study NAME`: one of the seed notebooks' experiments, trained, plotted and reported. */
import type { BackendName } from '../backends/select.ts';
import type { PresetName } from '../layers/presets.ts';
import { type StudyName } from '../study/studies.ts';
export interface StudyCliOptions {
    model?: PresetName;
    /** a model file as the base run instead of a preset */
    config?: string;
    /** the values of the study's variable */
    values?: string[];
    epochs?: number;
    limit?: number;
    seeds: number;
    workers: number;
    backend: BackendName;
    data?: string;
    /** default: runs/study-<name>-<time> */
    out?: string;
    /** narration; quiet in tests */
    log?: (line: string) => void;
}
export declare function runStudy(name: StudyName, o: StudyCliOptions): Promise<{
    report: string;
    dir: string;
}>;
