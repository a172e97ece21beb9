export declare function dataCommand(o: {
    data?: string;
    plot: boolean;
    out: string;
    json: boolean;
    perDigit: number;
}): Promise<void>;
