import { type SettingName } from '../io/settings.ts';
export declare const positiveInt: (value: string) => number;
export declare const nonNegativeInt: (value: string) => number;
export declare const positiveNumber: (value: string) => number;
export declare const nonNegativeNumber: (value: string) => number;
export declare const fraction: (value: string) => number;
/** The parser of a training setting (`--batch-size` → batchSize's kind). */
export declare const setting: (key: SettingName) => ((value: string) => number);
export declare function oneOf<T extends string>(options: readonly T[]): (value: string) => T;
export declare const port: (value: string) => number;
