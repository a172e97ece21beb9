import { type Inspection } from '../io/report.ts';
export declare function inspectRun(dir: string, o: {
    json: boolean;
}): Promise<Inspection>;
