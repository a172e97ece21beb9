/**
 * One validator for training settings, whichever way they arrive: typed on the command line,
 * saved in a run's config.json (and read back by --resume), or suggested by a tuner's model file.
 * A hand-edited `batchSize: -5` must fail the same way as `--batch-size -5`, naming where it came from.
 */
import { activations } from '../kernels/elementwise.ts';
import { presetNames } from '../layers/presets.ts';
import { optimizerNames } from '../optim/optimizer.ts';
import { augmentModes } from '../train/augment.ts';
import { datasetNames } from '../data/datasets.ts';
import { monitorNames } from '../train/callbacks.ts';
import { scheduleNames } from '../train/schedules.ts';

/** A value's kind: what it must be, and the text that says so in an error. */
export interface Kind {
  readonly expected: string;
  /** the value when it is valid; undefined when not */
  accept(value: unknown): unknown;
  /** the command line's spelling of a value (strict: "12abc", "", "0x10" and "1e3" are not integers) */
  parse(text: string): unknown;
}

// Big enough for any MNIST run, small enough that no setting can ask for an absurd allocation.
const MAX_INT = 2 ** 31 - 1;
const MAX_BATCH = 1 << 16;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const integerText = (text: string): number => (INTEGER_TEXT.test(text.trim()) ? Number(text.trim()) : NaN);
const numberText = (text: string): number => (NUMBER_TEXT.test(text.trim()) ? Number(text.trim()) : NaN);

function intKind(min: number, max: number, expected: string): Kind {
  const accept = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? v : undefined);
  return { expected, accept, parse: (t) => accept(integerText(t)) };
}

function numberKind(ok: (v: number) => boolean, expected: string): Kind {
  const accept = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : undefined);
  return { expected, accept, parse: (t) => accept(numberText(t)) };
}

function oneOfKind(names: readonly string[]): Kind {
  const accept = (v: unknown) => (typeof v === 'string' && names.includes(v) ? v : undefined);
  return { expected: `one of ${names.join(', ')}`, accept, parse: accept };
}

export const kinds = {
  positiveInt: intKind(1, MAX_INT, 'a positive integer'),
  nonNegativeInt: intKind(0, MAX_INT, 'a non-negative integer'),
  batchSize: intKind(1, MAX_BATCH, `an integer from 1 to ${MAX_BATCH}`),
  seed: intKind(0, 2 ** 32 - 1, 'an integer from 0 to 4294967295'),
  positiveNumber: numberKind((v) => v > 0, 'a positive number'),
  nonNegativeNumber: numberKind((v) => v >= 0, 'a number >= 0'),
  fraction: numberKind((v) => v >= 0 && v < 1, 'a number in [0, 1)'),
  boolean: { expected: 'true or false', accept: (v: unknown) => (typeof v === 'boolean' ? v : undefined), parse: (t: string) => (t === 'true' ? true : t === 'false' ? false : undefined) },
  text: { expected: 'a non-empty string', accept: (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined), parse: (t: string) => (t.length > 0 ? t : undefined) },
} satisfies Record<string, Kind>;

/** Every setting a run keeps (so that --resume rebuilds the same run), with its kind. */
export const settingKinds = {
  model: oneOfKind(presetNames),
  config: kinds.text,
  epochs: kinds.positiveInt,
  batchSize: kinds.batchSize,
  validationSplit: kinds.fraction,
  optimizer: oneOfKind(optimizerNames),
  lr: kinds.positiveNumber,
  beta1: kinds.fraction,
  beta2: kinds.fraction,
  eps: kinds.positiveNumber,
  shuffle: kinds.boolean,
  standardize: kinds.boolean,
  seed: kinds.seed,
  limit: kinds.positiveInt,
  data: kinds.text,
  dropout: kinds.fraction,
  l2: kinds.nonNegativeNumber,
  batchNorm: kinds.boolean,
  activation: oneOfKind(activations),
  earlyStopping: kinds.boolean,
  monitor: oneOfKind(monitorNames),
  patience: kinds.nonNegativeInt,
  minDelta: kinds.nonNegativeNumber,
  restoreBest: kinds.boolean,
  reduceLr: kinds.boolean,
  reduceLrFactor: kinds.fraction,
  reduceLrPatience: kinds.nonNegativeInt,
  minLr: kinds.nonNegativeNumber,
  lrSchedule: oneOfKind(scheduleNames),
  lrDecay: kinds.fraction,
  lrDecayEpochs: kinds.positiveInt,
  warmup: kinds.fraction,
  augment: oneOfKind(augmentModes),
  dataset: oneOfKind(datasetNames),
  imageSize: intKind(1, 4096, 'an integer from 1 to 4096'),
} as const satisfies Record<string, Kind>;

export type SettingName = keyof typeof settingKinds;
export const settingNames = Object.keys(settingKinds) as SettingName[];

/** `--batch-size` for `batchSize`: how the command line spells a setting. */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Checks the settings an object holds (null stands for "not given"); `allowed` limits which may
 * appear at all. Throws one line naming `where`, the field and what was expected.
 */
export function checkSettings(value: unknown, where: string, allowed: readonly SettingName[] = settingNames): Partial<Record<SettingName, unknown>> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected an object of settings, got ${JSON.stringify(value)}`);
  const out: Partial<Record<SettingName, unknown>> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(allowed as readonly string[]).includes(key)) throw new Error(`${where}: unknown field "${key}" (expected ${allowed.join(', ')})`);
    if (v === null) continue;
    const kind: Kind = settingKinds[key as SettingName];
    const accepted = kind.accept(v);
    if (accepted === undefined) throw new Error(`${where}: field "${key}" must be ${kind.expected}, got ${JSON.stringify(v)}`);
    out[key as SettingName] = accepted;
  }
  return out;
}
