/** Parsers for command-line values that fail with the option's name and what was expected. */
import { InvalidArgumentError } from 'commander';
export function positiveInt(value) {
    const v = Number(value);
    if (!Number.isInteger(v) || v <= 0)
        throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
    return v;
}
export function nonNegativeInt(value) {
    const v = Number(value);
    if (!Number.isInteger(v) || v < 0)
        throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
    return v;
}
export function positiveNumber(value) {
    const v = Number(value);
    if (!Number.isFinite(v) || v <= 0)
        throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
    return v;
}
export function nonNegativeNumber(value) {
    const v = Number(value);
    if (!Number.isFinite(v) || v < 0)
        throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
    return v;
}
export function fraction(value) {
    const v = Number(value);
    if (!Number.isFinite(v) || v < 0 || v >= 1)
        throw new InvalidArgumentError(`expected a number in [0, 1), got "${value}"`);
    return v;
}
export function oneOf(options) {
    return (value) => {
        if (!options.includes(value))
            throw new InvalidArgumentError(`expected one of ${options.join(', ')}, got "${value}"`);
        return value;
    };
}
