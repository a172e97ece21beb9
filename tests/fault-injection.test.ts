/**
 * Issue 14: a training run SIGKILLed at 20 moments — during steps, and in the middle of
 * checkpoint, model, config and history writes — leaves a run directory that loads, and
 * `--resume` finishes the run with the weights an uninterrupted run ends with.
 *
 * WGNN_FAULT_PAUSE_MS (test-only, src/io/atomic.ts) makes every atomic write pause halfway
 * through its bytes and say so on stderr, so that a kill can be aimed into a write. Kills come
 * after config.json has landed (the first write): before it, the run has not started.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { train, type TrainOptions } from '../src/cli/train.ts';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { Rng } from '../src/kernels/random.ts';
import { LOCK_FILE } from '../src/io/lock.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { loadSafetensors } from '../src/io/safetensors.ts';
import { setBackend } from '../src/tensor/context.ts';

const ARGS = ['train', '--model', 'mlp', '--limit', '300', '--epochs', '3', '--batch-size', '25', '--backend', 'reference', '--no-test', '--seed', '2'];
const EPOCHS = 3;
const ROUNDS = 20;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-fault-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(tmp, { recursive: true, force: true });
  process.exitCode = 0;
});

type Moment = { kind: 'write'; nth: number } | { kind: 'step'; afterMs: number };

/** Runs the CLI into `dir` and SIGKILLs it at `moment`; resolves with what it was doing when killed. */
function runAndKill(dir: string, moment: Moment | null): Promise<{ killed: boolean; at: string }> {
  const child = spawn(process.execPath, ['bin/wgnn.mjs', ...ARGS, '--out', dir], {
    env: { ...process.env, WGNN_FAULT_PAUSE_MS: moment ? '100' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let writes = 0;
  let at = 'start';
  let timer: NodeJS.Timeout | undefined;
  const kill = (where: string) => {
    if (child.exitCode !== null) return;
    at = where;
    killTrainer(child.pid!);
  };
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const m of chunk.toString().matchAll(/wgnn-fault: mid-write (\S+)/g)) {
      writes++;
      if (moment?.kind === 'write' && writes === moment.nth) kill(`mid-write ${m[1]} (write ${writes})`);
    }
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    if (moment?.kind === 'step' && !timer && /Epoch 1\//.test(chunk.toString())) {
      timer = setTimeout(() => kill(`${moment.afterMs} ms into training`), moment.afterMs);
    }
  });
  return new Promise((resolve) => {
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', at });
    });
  });
}

/** The pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/**
 * SIGKILLs the process that trains: bin/wgnn.mjs may run the command in a child (to filter
 * Dawn's warnings), which then re-raises the child's signal on itself; without one, the process itself.
 */
function killTrainer(pid: number): void {
  const kids = childrenOf(pid);
  if (kids.length === 0) process.kill(pid, 'SIGKILL');
  for (const kid of kids) killTrainer(kid);
}

const weights = (dir: string) => loadSafetensors(join(dir, 'model.safetensors')).tensors;

describe('fault injection: SIGKILL at 20 moments', () => {
  it('every killed run directory loads, and --resume finishes the run with the uninterrupted weights', async () => {
    const whole = join(tmp, 'whole');
    await runAndKill(whole, null);
    const expected = weights(whole);
    setBackend(new ReferenceBackend());

    const rng = new Rng(14);
    const kills: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(tmp, `round-${round}`);
      // Even rounds aim into a write (2nd to 14th: checkpoints, models, configs, histories of
      // every epoch); odd rounds land at a random moment among the steps.
      const moment: Moment = round % 2 === 0 ? { kind: 'write', nth: 2 + Math.floor(rng.next() * 13) } : { kind: 'step', afterMs: Math.floor(rng.next() * 1500) };
      const { killed, at } = await runAndKill(dir, moment);
      kills.push(`${round}: ${killed ? `killed ${at}` : 'finished before the kill'}`);

      // The directory as the kill left it loads: its model (when one was written) matches its config.
      if (existsSync(join(dir, 'model.safetensors'))) loadModel(dir).model.dispose();
      await train({ resume: dir, backend: 'reference', json: false, charts: false, test: false } as TrainOptions, new Set());
      process.exitCode = 0;

      const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as unknown[];
      expect(history, `round ${round} (${at})`).toHaveLength(EPOCHS);
      expect(weights(dir), `round ${round} (${at})`).toEqual(expected);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === LOCK_FILE), `round ${round} (${at})`).toEqual([]);
      loadModel(dir).model.dispose();
    }
    // Most kills must land: a run that always finished first would test nothing.
    expect(kills.filter((k) => k.includes('killed mid-write')).length, kills.join('\n')).toBeGreaterThanOrEqual(Math.ceil(0.4 * ROUNDS));
    expect(kills.filter((k) => k.includes('into training')).length, kills.join('\n')).toBeGreaterThanOrEqual(Math.ceil(0.3 * ROUNDS));
  }, 900_000);
});
