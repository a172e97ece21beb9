/**
 * Parsers for command-line values that fail with the option's name and what was expected. They
 * are the settings validator's own kinds (src/io/settings.ts), so that a value refused here is
 * refused the same way in a run's config.json or a tuner's model file.
 */
import { InvalidArgumentError } from 'commander';
import { kinds, settingKinds } from "../io/settings.js";
function parser(kind) {
    return (value) => {
        const v = kind.parse(value);
        if (v === undefined)
            throw new InvalidArgumentError(`expected ${kind.expected}, got "${value}"`);
        return v;
    };
}
export const positiveInt = parser(kinds.positiveInt);
export const nonNegativeInt = parser(kinds.nonNegativeInt);
export const positiveNumber = parser(kinds.positiveNumber);
export const nonNegativeNumber = parser(kinds.nonNegativeNumber);
export const fraction = parser(kinds.fraction);
/** The parser of a training setting (`--batch-size` → batchSize's kind). */
export const setting = (key) => parser(settingKinds[key]);
export function oneOf(options) {
    return (value) => {
        if (!options.includes(value))
            throw new InvalidArgumentError(`expected one of ${options.join(', ')}, got "${value}"`);
        return value;
    };
}
export const port = parser({ ...kinds.nonNegativeInt, expected: 'a TCP port from 0 to 65535', parse: (t) => { const v = kinds.nonNegativeInt.parse(t); return typeof v === 'number' && v <= 65535 ? v : undefined; } });
