/**
 * Learning-rate schedules against values worked out by hand, and one-cycle against PyTorch's
 * OneCycleLR itself when /usr/bin/python3 imports torch.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { oneCycle, schedule } from '../src/train/schedules.ts';

/** OneCycleLR's rate at every step for each [peak, total], from one torch process; null without torch. */
function torchOneCycle(cases: ReadonlyArray<readonly [number, number]>): number[][] | null {
  const script = `
import json, torch
out = []
for peak, total in ${JSON.stringify(cases)}:
    p = torch.nn.Parameter(torch.zeros(1))
    o = torch.optim.Adam([p], lr=peak)
    s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=peak, total_steps=total, cycle_momentum=False,
        anneal_strategy='cos', pct_start=0.3, div_factor=25, final_div_factor=1e4)
    r = []
    for _ in range(total):
        r.append(o.param_groups[0]['lr']); o.step(); s.step()
    out.append(r)
print(json.dumps(out))`;
  try {
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 })) as number[][];
  } catch {
    return null;
  }
}
const torchCases = [[0.01, 235], [0.1, 10], [0.003, 47]] as const;
const torchRates = torchOneCycle(torchCases);

describe('one-cycle', () => {
  it('matches values worked out by hand for 10 steps (first phase ends at step 0.3·10 − 1 = 2)', () => {
    const f = schedule('one-cycle', { baseLr: 0.1, stepsPerEpoch: 10, epochs: 1 });
    // 0.1/25 = 0.004; halfway up: 0.1 + (0.004 − 0.1)/2 = 0.052; the end: 0.004/1e4.
    expect(f(0)).toBeCloseTo(0.004, 15);
    expect(f(1)).toBeCloseTo(0.052, 15);
    expect(f(2)).toBeCloseTo(0.1, 15);
    // step 3 is 1/7 of the way down: 4e-7 + (0.1 − 4e-7)/2 · (1 + cos(π/7))
    expect(f(3)).toBeCloseTo(0.09504846320134738, 15);
    expect(f(9)).toBeCloseTo(4e-7, 18);
  });

  it('puts the peak between steps when 0.3·total is not a whole number (235 steps: the peak at step 69.5)', () => {
    // 60,000 images in batches of 256: 235 steps. Steps 69 and 70 lie half a step either side of the peak.
    const up = oneCycle(0.01, 69, 235);
    const down = oneCycle(0.01, 70, 235);
    expect(up).toBeCloseTo(0.01 + (0.0004 - 0.01) / 2 * (1 + Math.cos(Math.PI * (69 / 69.5))), 15);
    expect(down).toBeCloseTo(4e-8 + (0.01 - 4e-8) / 2 * (1 + Math.cos(Math.PI * (0.5 / 164.5))), 15);
    expect(oneCycle(0.01, 234, 235)).toBeCloseTo(4e-8, 18);
  });

  it.runIf(torchRates !== null)('matches torch.optim.lr_scheduler.OneCycleLR step for step', () => {
    torchCases.forEach(([peak, total], i) => {
      expect(torchRates![i]).toHaveLength(total);
      torchRates![i].forEach((lr, t) => expect(Math.abs(oneCycle(peak, t, total) - lr)).toBeLessThanOrEqual(1e-12 * peak));
    });
  });
});

describe('warm-up schedules', () => {
  const o = { baseLr: 0.2, stepsPerEpoch: 10, epochs: 2, warmup: 0.25 };
  it('warmup-cosine rises linearly over 5 of 20 steps, then follows a cosine to zero', () => {
    const f = schedule('warmup-cosine', o);
    expect(f(0)).toBe(0);
    expect(f(1)).toBeCloseTo(0.04, 15);
    expect(f(4)).toBeCloseTo(0.16, 15);
    expect(f(5)).toBeCloseTo(0.2, 15);
    // halfway through the 15 decay steps (step 12.5): half the rate
    expect(f(10)).toBeCloseTo(0.1 * (1 + Math.cos(Math.PI / 3)), 15);
    expect(f(20)).toBeCloseTo(0, 15);
  });
  it('warmup-linear rises the same way, then falls on a straight line to zero', () => {
    const f = schedule('warmup-linear', o);
    expect(f(2)).toBeCloseTo(0.08, 15);
    expect(f(5)).toBeCloseTo(0.2, 15);
    expect(f(8)).toBeCloseTo(0.2 * (12 / 15), 15);
    expect(f(20)).toBeCloseTo(0, 15);
  });
  it('rejects a warm-up fraction outside [0, 1)', () => {
    expect(() => schedule('warmup-linear', { ...o, warmup: 1 })).toThrow(/warm-up fraction/);
  });
});
