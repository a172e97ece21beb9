/** `wgnn train --model fast` takes the one-epoch recipe's settings unless the command line gives them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('wgnn train --model fast', () => {
  it('takes the recipe\'s settings unless the command line gives them', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wgnn-fast-')), 'run');
    const r = spawnSync(process.execPath, ['bin/wgnn.mjs', 'train', '--model', 'fast', '--limit', '300', '--batch-size', '128', '--backend', 'cpu', '--no-test', '--out', out, '--json'], {
      encoding: 'utf8', timeout: 120_000, env: { ...process.env, WGNN_THREADS: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Data: 300 training, 0 validation/);
    const settings = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).training.settings;
    expect(settings).toMatchObject({
      model: 'fast', epochs: 1, batchSize: 128, validationSplit: 0, optimizer: 'adam', lr: 0.01, beta1: 0.7, beta2: 0.9, eps: 1e-8, lrSchedule: 'one-cycle', shuffle: false,
    });
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as Array<{ lr: number }>;
    // one epoch of ⌈300/128⌉ = 3 steps: the last step ran at one-cycle's final rate, 0.01/25/1e4
    expect(history).toHaveLength(1);
    expect(history[0].lr).toBeCloseTo(4e-8, 12);
  }, 150_000);
});
