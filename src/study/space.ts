/**
 * A search space the user writes: a JSON file of the tuner's parameters, each a fixed value or a
 * distribution (choice, integer or float grid, uniform, log-uniform), and the epochs of a full
 * trial. assets/spaces/ ships the seeds' Keras Tuner space and a faster default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hash32, Rng } from '../kernels/random.ts';
import { optimizerNames, type OptimizerName } from '../optim/optimizer.ts';
import { augmentModes, type AugmentMode } from '../train/augment.ts';
import { scheduleNames, type ScheduleName } from '../train/schedules.ts';

export const archNames = ['cnn', 'digits'] as const;
export type Arch = (typeof archNames)[number];

/** One trial's settings: every parameter has a value, from the space or its default. */
export interface TrialConfig {
  arch: Arch;
  filters1: number;
  filters2: number;
  units: number;
  dropout: number;
  lr: number;
  optimizer: OptimizerName;
  schedule: ScheduleName;
  batchSize: number;
  augment: AugmentMode | null;
}
export type ParamName = keyof TrialConfig;
export type Value = TrialConfig[ParamName];

export type Distribution =
  | { kind: 'fixed'; value: Value }
  | { kind: 'choice'; values: Value[] }
  /** min, min + step, …, max (integers for int, rounded floats for range) */
  | { kind: 'grid'; min: number; max: number; step: number; int: boolean }
  | { kind: 'uniform' | 'loguniform'; min: number; max: number };

export interface SearchSpace {
  /** where it was read from, for messages */
  source: string;
  /** epochs of a full trial (Hyperband's largest rung); --max-epochs overrides it */
  epochs: number;
  params: Record<ParamName, Distribution>;
}

/** What a space leaves out; these match the seed CNN and the CLI's defaults. */
const defaults: TrialConfig = { arch: 'cnn', filters1: 32, filters2: 64, units: 128, dropout: 0.25, lr: 1e-3, optimizer: 'adam', schedule: 'constant', batchSize: 64, augment: null };

/** How each parameter's values are checked: a one-line description and a test. */
const checks: Record<ParamName, { expected: string; ok: (v: unknown) => boolean; numeric: boolean }> = {
  arch: { expected: `one of ${archNames.join(', ')}`, ok: (v) => (archNames as readonly unknown[]).includes(v), numeric: false },
  filters1: { expected: 'an integer from 1 to 1024', ok: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1024, numeric: true },
  filters2: { expected: 'an integer from 1 to 1024', ok: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1024, numeric: true },
  units: { expected: 'an integer from 1 to 8192', ok: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 8192, numeric: true },
  dropout: { expected: 'a number in [0, 1)', ok: (v) => typeof v === 'number' && v >= 0 && v < 1, numeric: true },
  lr: { expected: 'a number in (0, 10]', ok: (v) => typeof v === 'number' && v > 0 && v <= 10, numeric: true },
  optimizer: { expected: `one of ${optimizerNames.join(', ')}`, ok: (v) => (optimizerNames as readonly unknown[]).includes(v), numeric: false },
  schedule: { expected: `one of ${scheduleNames.join(', ')}`, ok: (v) => (scheduleNames as readonly unknown[]).includes(v), numeric: false },
  batchSize: { expected: 'an integer from 1 to 65536', ok: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65536, numeric: true },
  augment: { expected: `null or one of ${augmentModes.join(', ')}`, ok: (v) => v === null || (augmentModes as readonly unknown[]).includes(v), numeric: false },
};
export const paramNames = Object.keys(checks) as ParamName[];

const KINDS = ['choice', 'int', 'range', 'uniform', 'loguniform'];

function parseDistribution(name: ParamName, raw: unknown, where: string): Distribution {
  const c = checks[name];
  const bad = (what: string) => new Error(`${where}: field "params.${name}": ${what}`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    if (!c.ok(raw)) throw bad(`expected ${c.expected}, or an object with one of ${KINDS.join(', ')}; got ${JSON.stringify(raw)}`);
    return { kind: 'fixed', value: raw as Value };
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1 || !KINDS.includes(keys[0])) throw bad(`expected an object with exactly one of ${KINDS.join(', ')}; got keys ${JSON.stringify(keys)}`);
  const kind = keys[0];
  const arg = (raw as Record<string, unknown>)[kind];
  if (kind === 'choice') {
    if (!Array.isArray(arg) || arg.length === 0) throw bad('"choice" must be a non-empty list');
    for (const v of arg) if (!c.ok(v)) throw bad(`choice ${JSON.stringify(v)}: expected ${c.expected}`);
    return { kind: 'choice', values: arg as Value[] };
  }
  if (!c.numeric) throw bad(`"${kind}" needs a numeric parameter; use "choice"`);
  const n = kind === 'int' || kind === 'range' ? 3 : 2;
  if (!Array.isArray(arg) || arg.length !== n || !arg.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw bad(`"${kind}" must be [${n === 3 ? 'min, max, step' : 'min, max'}] of finite numbers; got ${JSON.stringify(arg)}`);
  }
  const [min, max, step] = arg as number[];
  if (!(min <= max)) throw bad(`"${kind}": min ${min} is above max ${max}`);
  if (!c.ok(min) || !c.ok(max)) throw bad(`"${kind}": the bounds must be ${c.expected}; got [${min}, ${max}]`);
  if (kind === 'loguniform' && !(min > 0)) throw bad(`"loguniform": min must be above 0; got ${min}`);
  if (n === 3) {
    if (!(step > 0)) throw bad(`"${kind}": step must be above 0; got ${step}`);
    if (kind === 'int' && !(Number.isInteger(min) && Number.isInteger(step))) throw bad(`"int": min and step must be integers; got ${min}, ${step}`);
    return { kind: 'grid', min, max, step, int: kind === 'int' };
  }
  return { kind: kind as 'uniform' | 'loguniform', min, max };
}

/** Checks a parsed space file field by field; every error names the file and the field. */
export function parseSpace(raw: unknown, where: string): SearchSpace {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where}: expected a JSON object with "format", "epochs" and "params"`);
  const f = raw as Record<string, unknown>;
  if (f.format !== 'wgnn-space') throw new Error(`${where}: field "format" must be "wgnn-space", got ${JSON.stringify(f.format)}`);
  const epochs = f.epochs;
  if (!Number.isInteger(epochs) || (epochs as number) < 1 || (epochs as number) > 1000) throw new Error(`${where}: field "epochs" must be an integer from 1 to 1000, got ${JSON.stringify(epochs)}`);
  const p = f.params;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error(`${where}: field "params" must be an object of parameters (${paramNames.join(', ')})`);
  for (const k of Object.keys(p)) if (!paramNames.includes(k as ParamName)) throw new Error(`${where}: field "params.${k}": unknown parameter; expected one of ${paramNames.join(', ')}`);
  for (const k of Object.keys(f)) if (!['format', 'description', 'epochs', 'params'].includes(k)) throw new Error(`${where}: field "${k}": unknown; expected format, description, epochs, params`);
  const params = Object.fromEntries(
    paramNames.map((name) => [name, name in p ? parseDistribution(name, (p as Record<string, unknown>)[name], where) : { kind: 'fixed', value: defaults[name] }]),
  ) as Record<ParamName, Distribution>;
  return { source: where, epochs: epochs as number, params };
}

/** The spaces shipped in assets/spaces/, by name. */
export const shippedSpaces = ['seeds', 'fast'] as const;

/** `--space`: a shipped space's name or a file's path. */
export function readSpace(nameOrPath: string): SearchSpace {
  const shipped = (shippedSpaces as readonly string[]).includes(nameOrPath);
  const path = shipped ? fileURLToPath(new URL(`../../assets/spaces/${nameOrPath}.json`, import.meta.url)) : nameOrPath;
  if (!existsSync(path)) throw new Error(`${path}: space file not found (--space takes ${shippedSpaces.join(' or ')}, or a JSON file's path)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseSpace(raw, shipped ? `assets/spaces/${nameOrPath}.json` : path);
}

/** A grid's values: min, min + step, … up to max. */
export function gridValues(d: { min: number; max: number; step: number; int: boolean }): number[] {
  const n = Math.floor((d.max - d.min) / d.step + 1e-9) + 1;
  return Array.from({ length: n }, (_, i) => (d.int ? d.min + i * d.step : Number((d.min + i * d.step).toFixed(6))));
}

/** The finite values of a discrete distribution, or null for a continuous one. */
export function discreteValues(d: Distribution): Value[] | null {
  if (d.kind === 'fixed') return [d.value];
  if (d.kind === 'choice') return d.values;
  if (d.kind === 'grid') return gridValues(d);
  return null;
}

/** Rounds a continuous draw so configurations print and compare cleanly. */
export const round3 = (x: number) => Number(x.toPrecision(3));

export function drawParam(d: Distribution, rng: Rng): Value {
  const values = discreteValues(d);
  if (values) return values[rng.int(values.length)];
  const { min, max } = d as { min: number; max: number };
  if (d.kind === 'uniform') return round3(min + rng.next() * (max - min));
  return round3(Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min))));
}

/** The rng of trial i of a search: depends only on (seed, i, purpose), so any process draws the same. */
export const trialRng = (seed: number, i: number, purpose = 0) => new Rng(hash32((seed ^ Math.imul(i + 1, 0x85ebca6b) ^ Math.imul(purpose + 1, 0x27d4eb2f)) >>> 0));

/** The i-th random configuration of a search. */
export function sampleConfig(space: SearchSpace, seed: number, i: number): TrialConfig {
  const rng = trialRng(seed, i);
  return Object.fromEntries(paramNames.map((name) => [name, drawParam(space.params[name], rng)])) as unknown as TrialConfig;
}

/** The space as plain JSON, for trials.json's settings (a resumed search must use the same space). */
export const spaceKey = (s: SearchSpace) => ({ epochs: s.epochs, params: s.params });
