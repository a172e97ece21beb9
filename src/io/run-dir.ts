/**
 * A run directory: model.safetensors (PyTorch names and layouts), config.json (architecture and
 * training settings) and history.json. Everything is written atomically.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sequential, type ModelConfig } from '../layers/sequential.ts';
import type { EpochLogs } from '../train/fit.ts';
import { writeFileAtomic } from './atomic.ts';
import { loadSafetensors, saveSafetensors } from './safetensors.ts';

export const FORMAT = 'wgnn-run';
export const FORMAT_VERSION = 1;

export interface RunConfig {
  format: typeof FORMAT;
  version: number;
  /** the preset the model came from, if any */
  preset: string | null;
  model: ModelConfig;
  training: Record<string, unknown>;
  /** how training went: epochs run and, with early stopping, the best and stopping epochs */
  outcome?: Record<string, unknown>;
  test?: { loss: number; accuracy: number };
}

export async function saveModel(dir: string, model: Sequential, meta: Omit<RunConfig, 'format' | 'version' | 'model'>, history: EpochLogs[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  saveSafetensors(join(dir, 'model.safetensors'), await model.stateDict(), { format: FORMAT, version: String(FORMAT_VERSION) });
  const config: RunConfig = { format: FORMAT, version: FORMAT_VERSION, ...meta, model: model.config() };
  writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileAtomic(join(dir, 'history.json'), JSON.stringify(history, null, 2) + '\n');
}

export function readRunConfig(dir: string): RunConfig {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new Error(`${path}: not found (is ${dir} a wgnn run directory?)`);
  let cfg: unknown;
  try {
    cfg = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const c = cfg as Partial<RunConfig>;
  if (c.format !== FORMAT) throw new Error(`${path}: field "format" must be "${FORMAT}", got ${JSON.stringify(c.format)}`);
  if (c.version !== FORMAT_VERSION) throw new Error(`${path}: field "version" must be ${FORMAT_VERSION}, got ${JSON.stringify(c.version)}`);
  return c as RunConfig;
}

/** Rebuilds the model of a run directory on the current backend and loads its weights. */
export function loadModel(dir: string): { model: Sequential; config: RunConfig } {
  const config = readRunConfig(dir);
  const model = Sequential.fromConfig(config.model, join(dir, 'config.json')).build(0);
  const weights = join(dir, 'model.safetensors');
  model.loadStateDict(loadSafetensors(weights).tensors, weights);
  return { model, config };
}
