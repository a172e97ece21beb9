/**
 * A run directory: model.safetensors (PyTorch names and layouts), config.json (architecture and
 * training settings) and history.json. Everything is written atomically.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Sequential, type ModelConfig } from '../layers/sequential.ts';
import type { EpochLogs } from '../train/fit.ts';
import { writeFileAtomic } from './atomic.ts';
import { ParameterBudgetError, withParameterBudget } from '../layers/init.ts';
import { LOCK_FILE, lockRunDir, processAlive, type RunLock } from './lock.ts';
import { loadSafetensors, readSafetensorsShapes, saveSafetensors } from './safetensors.ts';

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

/**
 * Builds the model `cfg` describes for the weights in `weights`, checking the sizes the config asks
 * for against the file's header first, so that a wrong or hostile config (`units: 1e9`) fails
 * before its memory is allocated.
 */
export function buildForWeights(cfg: unknown, where: string, weights: string): Sequential {
  const shapes = readSafetensorsShapes(weights);
  const held = Object.values(shapes).reduce((sum, shape) => sum + shape.reduce((p, d) => p * d, 1), 0);
  const skeleton = Sequential.fromConfig(cfg, where);
  try {
    return withParameterBudget(held, `the ${held.toLocaleString('en-US')} values ${weights} holds`, () => skeleton.build(0));
  } catch (e) {
    if (e instanceof ParameterBudgetError) throw new Error(`${where}: the model it describes does not fit ${weights}: ${e.message}`);
    throw e;
  }
}

/** Rebuilds the model of a run directory on the current backend and loads its weights. */
export function loadModel(dir: string): { model: Sequential; config: RunConfig } {
  const config = readRunConfig(dir);
  const weights = join(dir, 'model.safetensors');
  const model = buildForWeights(config.model, join(dir, 'config.json'), weights);
  model.loadStateDict(loadSafetensors(weights).tensors, weights);
  return { model, config };
}

/** config.json alone, written when a run starts, so that a run killed before its first model still resumes. */
export function saveRunConfig(dir: string, model: Sequential, meta: Omit<RunConfig, 'format' | 'version' | 'model'>): void {
  const config: RunConfig = { format: FORMAT, version: FORMAT_VERSION, ...meta, model: model.config() };
  writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
}

/** The files a run writes, removed by --overwrite (other files in the directory are left alone). */
const RUN_FILES = [
  'model.safetensors', 'checkpoint.safetensors', 'config.json', 'history.json', 'evaluation.json', 'inspection.json', 'report.md',
  ...['loss', 'accuracy', 'lr', 'confusion-matrix', 'misclassified', 'weights'].flatMap((f) => [`${f}.png`, `${f}.svg`]),
];

/** `.NAME.PID.HEX.tmp`: a temporary file of writeFileAtomic, with its writer's pid. */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/** Removes the temporary files that writers killed mid-write left behind (their pid no longer runs). */
export function removeStaleTempFiles(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = TEMP_FILE.exec(name);
    if (m && (Number(m[1]) === process.pid || !processAlive(Number(m[1])))) {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

export type RunDirMode = 'new' | 'resume' | 'overwrite';

/**
 * Makes `dir` ready for a run and locks it: refuses a file, refuses a directory that already
 * holds something unless the run resumes it or --overwrite says to replace it, takes over the
 * lock of a process that died, and removes the temporary files such a process left.
 */
export function openRunDir(dir: string, mode: RunDirMode, say: (line: string) => void = () => {}): RunLock {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
    if (!isDir) throw new Error(`${dir}: exists and is not a directory; --out needs a directory (new or empty)`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (mode === 'resume') throw new Error(`${dir}: not found: nothing to resume`);
  }
  if (!isDir) mkdirSync(dir, { recursive: true });
  const lock = lockRunDir(dir);
  try {
    if (lock.tookOver) say(`${dir}: took over the lock of process ${lock.tookOver.pid}, which no longer runs (killed or crashed)`);
    const stale = removeStaleTempFiles(dir);
    if (stale.length) say(`${dir}: removed ${stale.length} temporary file${stale.length > 1 ? 's' : ''} a killed writer left (${stale.join(', ')})`);
    const present = readdirSync(dir).filter((f) => f !== LOCK_FILE);
    if (mode === 'new' && present.length) {
      const shown = present.slice(0, 4).join(', ') + (present.length > 4 ? ', …' : '');
      throw new Error(`${dir}: already holds files (${shown}); use --resume ${dir} to continue its run, --overwrite to replace it, or another --out`);
    }
    if (mode === 'overwrite') for (const f of RUN_FILES) rmSync(join(dir, f), { force: true });
    return lock;
  } catch (e) {
    lock.release();
    throw e;
  }
}
