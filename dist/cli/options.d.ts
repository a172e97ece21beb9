export declare function positiveInt(value: string): number;
export declare function nonNegativeInt(value: string): number;
export declare function positiveNumber(value: string): number;
export declare function nonNegativeNumber(value: string): number;
export declare function fraction(value: string): number;
export declare function oneOf<T extends string>(options: readonly T[]): (value: string) => T;
