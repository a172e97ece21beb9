/**
 * Parsers for command-line values that fail with the option's name and what was expected. They
 * are the settings validator's own kinds (src/io/settings.ts), so that a value refused here is
 * refused the same way in a run's config.json or a tuner's model file.
 */
import { InvalidArgumentError } from 'commander';
import { kinds, settingKinds, type Kind, type SettingName } from '../io/settings.ts';

function parser<T>(kind: Kind): (value: string) => T {
  return (value) => {
    const v = kind.parse(value);
    if (v === undefined) throw new InvalidArgumentError(`expected ${kind.expected}, got "${value}"`);
    return v as T;
  };
}

export const positiveInt = parser<number>(kinds.positiveInt);
export const nonNegativeInt = parser<number>(kinds.nonNegativeInt);
export const positiveNumber = parser<number>(kinds.positiveNumber);
export const nonNegativeNumber = parser<number>(kinds.nonNegativeNumber);
export const fraction = parser<number>(kinds.fraction);

/** The parser of a training setting (`--batch-size` → batchSize's kind). */
export const setting = (key: SettingName): ((value: string) => number) => parser<number>(settingKinds[key]);


export const port = parser<number>({ ...kinds.nonNegativeInt, expected: 'a TCP port from 0 to 65535', parse: (t) => { const v = kinds.nonNegativeInt.parse(t); return typeof v === 'number' && v <= 65535 ? v : undefined; } });
