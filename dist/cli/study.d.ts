/** `wgnn study NAME`: one of the seed notebooks' experiments, trained, plotted and reported. */
import type { BackendName } from '../backends/select.ts';
import type { StudyModel } from '../study/models.ts';
import { type StudyName } from '../study/studies.ts';
export interface StudyCliOptions {
    model?: StudyModel;
    epochs?: number;
    limit?: number;
    seeds: number;
    workers: number;
    backend: BackendName;
    data?: string;
    out: string;
    /** narration; quiet in tests */
    log?: (line: string) => void;
}
export declare function runStudy(name: StudyName, o: StudyCliOptions): Promise<{
    report: string;
    dir: string;
}>;
