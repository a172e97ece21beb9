/** Parsers for command-line values that fail with the option's name and what was expected. */
import { InvalidArgumentError } from 'commander';

export function positiveInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return v;
}

export function nonNegativeInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return v;
}

export function positiveNumber(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return v;
}

export function nonNegativeNumber(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return v;
}

export function fraction(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < 0 || v >= 1) throw new InvalidArgumentError(`expected a number in [0, 1), got "${value}"`);
  return v;
}

export function oneOf<T extends string>(options: readonly T[]): (value: string) => T {
  return (value) => {
    if (!options.includes(value as T)) throw new InvalidArgumentError(`expected one of ${options.join(', ')}, got "${value}"`);
    return value as T;
  };
}
