/**
 * The command line as a new user meets it: every command documented in the README with an
 * example, one-line usage errors, runs kept under runs/ with runs/latest, no Dawn warnings
 * unless --verbose, studies over chosen values saved as runs, compare, mlp3's per-layer L2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReferenceBackend } from '../src/backends/reference.ts';
import { compareRuns } from '../src/cli/compare.ts';
import { resolveRunDir } from '../src/cli/runs.ts';
import { runStudy } from '../src/cli/study.ts';
import { limit, loadMnist } from '../src/data/mnist.ts';
import { preset } from '../src/layers/presets.ts';
import { setBackend } from '../src/tensor/context.ts';
import { evaluate } from '../src/train/fit.ts';

const BIN = resolve('bin/wgnn.mjs');
const inCi = !!process.env.CI && process.env.CI !== 'false';
const DAWN = /artificially reduced/;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wgnn-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function wgnn(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('help and the README', () => {
  it('the README documents every command --help lists, with an example each', () => {
    const help = wgnn(['--help']);
    expect(help.code).toBe(0);
    const commands = help.stdout.split('Commands:')[1].split('\n\n')[0].split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((c) => c && c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(11);
    const readme = readFileSync('README.md', 'utf8');
    for (const c of commands) {
      expect(readme, c).toContain(`### \`wgnn ${c}\``);
      const section = readme.split(`### \`wgnn ${c}\``)[1].split('\n### ')[0];
      expect(section, c).toMatch(new RegExp(`\`\`\`sh\\nnpx wgnn ${c}\\b`));
    }
    // Each command's --help ends with an example (two of them checked here: each start costs a second).
    for (const c of ['study', 'compare']) expect(wgnn([c, '--help']).stdout, c).toMatch(new RegExp(`Examples?:\\n {2}\\$ npx wgnn ${c} `));
  });

  it('--version, allowed values in --help, and a usage error of one line and a hint', () => {
    expect(wgnn(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(wgnn(['train', '--help']).stdout).toMatch(/--optimizer <name>\s+optimizer \(choices: "sgd", "momentum", "adam",\s+"adamw"/);
    const bad = wgnn(['train', '--optimizer', 'rmsprop']);
    expect(bad.code).toBe(1);
    const lines = bad.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/rmsprop.*Allowed choices are sgd, momentum, adam, adamw/);
    expect(lines[1]).toMatch(/--help/);
  });
});

describe('runs are kept', () => {
  it('train without --out writes runs/<model>-<time>/ and runs/latest, which evaluate reads; no Dawn warnings unless --verbose', () => {
    const cwd = join(tmp, 'fresh');
    mkdirSync(cwd);
    const t = wgnn(['train', '--model', 'mlp', '--epochs', '1', '--limit', '600', '--no-test'], cwd);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/Run directory: runs\/mlp-\d{8}-\d{6}/);
    expect(t.stderr).not.toMatch(DAWN);
    const dirs = readdirSync(join(cwd, 'runs')).filter((d) => d.startsWith('mlp-'));
    expect(dirs).toHaveLength(1);
    expect(resolveRunDir(join(cwd, 'runs/latest'))).toBe(join(cwd, 'runs', dirs[0]));
    const e = wgnn(['evaluate', 'runs/latest', '--limit', '200', '--worst', '0'], cwd);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/test accuracy: 0\.\d{4} \(200 images\)/);
    expect(e.stderr).not.toMatch(DAWN);
    expect(existsSync(join(cwd, 'runs', dirs[0], 'evaluation.json'))).toBe(true);
    // The report states what was used: no settings of callbacks that were off.
    const report = readFileSync(join(cwd, 'runs', dirs[0], 'report.md'), 'utf8');
    expect(report).toMatch(/^# wgnn run: mlp\n/);
    expect(report).not.toMatch(/patience|monitor|reduceLr|minLr|lrDecay|batchNorm/);
    // With a WebGPU adapter (CI installs lavapipe), --verbose lets Dawn's warnings through: the filter above is what hid them.
    if (inCi) expect(wgnn(['evaluate', 'runs/latest', '--limit', '50', '--worst', '0', '--verbose'], cwd).stderr).toMatch(DAWN);
  }, 120_000);

  it('runs/latest as a pointer file (where symlinks are refused) names its run', () => {
    const root = join(tmp, 'pointer');
    mkdirSync(join(root, 'cnn-20261201-120000'), { recursive: true });
    writeFileSync(join(root, 'latest'), 'cnn-20261201-120000\n');
    expect(resolveRunDir(join(root, 'latest'))).toBe(join(root, 'cnn-20261201-120000'));
    writeFileSync(join(root, 'latest'), 'gone\n');
    expect(() => resolveRunDir(join(root, 'latest'))).toThrow(/points at .*gone, which does not exist/);
    expect(() => resolveRunDir(join(tmp, 'nothing', 'latest'))).toThrow(/no run yet/);
  });
});

describe('studies and compare', () => {
  beforeAll(() => void vi.spyOn(process.stdout, 'write').mockImplementation(() => true));
  afterAll(() => vi.restoreAllMocks());

  it('study dropout --values 0,0.2,0.4 trains exactly those, each saved as a run with a test score; compare overlays two', async () => {
    const out = join(tmp, 'dropout');
    const { report } = await runStudy('dropout', { values: ['0', '0.2', '0.4'], limit: 600, epochs: 1, seeds: 1, workers: 1, backend: 'cpu', out, log: () => {} });
    const variants = new Set(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    expect([...variants]).toEqual(['dropout 0', 'dropout 0.2', 'dropout 0.4']);
    for (const d of ['dropout-0', 'dropout-0.2', 'dropout-0.4']) {
      const config = JSON.parse(readFileSync(join(out, d, 'config.json'), 'utf8'));
      expect(config.test.accuracy).toBeGreaterThan(0.3);
      expect(report).toContain(`| dropout ${d.slice(8)} |`);
    }
    expect(report).toMatch(/test accuracy/);
    await expect(runStudy('dropout', { values: ['0', '1.5'], seeds: 1, workers: 1, backend: 'cpu', out: join(tmp, 'bad'), log: () => {} })).rejects.toThrow(/--values: "1.5" is not a dropout rate in \[0, 1\)/);

    const cmp = await compareRuns([join(out, 'dropout-0'), join(out, 'dropout-0.4')], { out: join(tmp, 'cmp'), log: () => {} });
    expect(cmp.rows.map((r) => r.run)).toEqual(['dropout-0', 'dropout-0.4']);
    for (const f of ['loss.png', 'loss.svg', 'accuracy.png', 'comparison.md']) expect(existsSync(join(tmp, 'cmp', f)), f).toBe(true);
    const md = readFileSync(join(tmp, 'cmp', 'comparison.md'), 'utf8');
    expect(md).toContain(`| dropout-0.4 | mlp | 1 | 32 | adam |`);
    // Both runs' curves are drawn: one legend entry per run.
    const svg = readFileSync(join(tmp, 'cmp', 'loss.svg'), 'utf8');
    expect(svg).toContain('dropout-0.4');
    expect(svg).toContain('dropout-0<');
  }, 120_000);
});

describe('mlp3 and per-layer L2', () => {
  it('mlp3 regularizes its first layer only, and evaluate reports the loss with the penalty (as Keras)', async () => {
    setBackend(new ReferenceBackend());
    const withL2 = preset('mlp3').build(0);
    const without = preset('mlp3', { l2: 0 }).build(0);
    expect(withL2.config().layers.filter((l) => 'l2' in l).map((l) => [l.type, l.l2])).toEqual([['dense', 1e-3]]);
    const data = limit(loadMnist().test, 100);
    const a = await evaluate(withL2, data);
    const b = await evaluate(without, data);
    const w = await withL2.parameters().find((p) => p.fullName === 'dense.weight')!.tensor.read();
    let sq = 0;
    for (const v of w) sq += v * v;
    expect(a.accuracy).toBe(b.accuracy);
    expect(a.loss - b.loss).toBeCloseTo(1e-3 * sq, 4);
    // The run-wide λ applies to the other kernels only.
    const c = await evaluate(without, data, { l2: 1e-2 });
    expect(c.loss).toBeGreaterThan(b.loss);
    withL2.dispose();
    without.dispose();
  });
});
