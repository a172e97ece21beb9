/** Progress lines and the stderr filter that hides Dawn's limit warnings. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bin, without type declarations
import { cpuBackendNamed, dawnWarningFilter } from '../bin/quiet-dawn.mjs';
import { bar, duration, ProgressLine, remaining } from '../src/cli/progress.ts';

const WARNINGS = [
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n',
  'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\n',
];

describe('cpuBackendNamed: no filtering child where no adapter is opened', () => {
  it('finds a CPU backend in either spelling, and nothing else', () => {
    expect(cpuBackendNamed(['train', '--model', 'fast', '--backend', 'wasm'])).toBe(true);
    expect(cpuBackendNamed(['train', '--backend=cpu'])).toBe(true);
    expect(cpuBackendNamed(['train', '--backend', 'reference'])).toBe(true);
    expect(cpuBackendNamed(['train', '--backend', 'auto'])).toBe(false);
    expect(cpuBackendNamed(['train', '--backend=webgpu'])).toBe(false);
    expect(cpuBackendNamed(['train', '--model', 'wasm'])).toBe(false);
    expect(cpuBackendNamed(['train'])).toBe(false);
  });
});

describe('dawnWarningFilter', () => {
  const run = (chunks: string[]) => {
    const out: string[] = [];
    const f = dawnWarningFilter((s: string) => out.push(s)) as { push(s: string): void; end(): void };
    for (const c of chunks) f.push(c);
    f.end();
    return out;
  };

  it('drops the warnings however the pipe splits them, and keeps everything else', () => {
    const text = `before\n${WARNINGS.join('')}Warning: something else\nafter\n`;
    for (const size of [1, 3, 17, 64, text.length]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      expect(run(chunks).join(''), `chunks of ${size}`).toBe('before\nWarning: something else\nafter\n');
    }
  });

  it('passes a line without a newline on at once (a progress line redrawn with \\r)', () => {
    const out: string[] = [];
    const f = dawnWarningFilter((s: string) => out.push(s)) as { push(s: string): void };
    f.push('\rEpoch 1/3 10/100');
    expect(out).toEqual(['\rEpoch 1/3 10/100']);
    f.push('\rEpoch 1/3 20/100');
    expect(out.at(-1)).toBe('\rEpoch 1/3 20/100');
  });
});

describe('progress', () => {
  it('formats durations and the time left', () => {
    expect([duration(5), duration(83), duration(3725), duration(Number.NaN)]).toEqual(['5s', '1m23s', '1h02m', '?']);
    expect(remaining(25, 100, 10)).toBe(30);
    expect(bar(1, 4, 8)).toBe('██░░░░░░');
  });

  it('redraws one line on a terminal, and writes plain lines without the bar elsewhere', () => {
    const tty: string[] = [];
    const t = new ProgressLine({ terminal: true, write: (s) => tty.push(s) });
    t.show(`Epoch 1/2 ${bar(1, 2, 4)} 1/2`);
    t.clear();
    expect(tty).toEqual(['\rEpoch 1/2 ██░░ 1/2\x1b[K', '\r\x1b[K']);

    const log: string[] = [];
    const l = new ProgressLine({ terminal: false, every: 3600, write: (s) => log.push(s) });
    l.show(`Epoch 1/2 ${bar(1, 2, 4)} 1/2 - ETA 3s`);
    l.show('too soon');
    l.show('forced, but a log keeps its pace', true);
    expect(log).toEqual(['Epoch 1/2 1/2 - ETA 3s\n']);
  });
});
