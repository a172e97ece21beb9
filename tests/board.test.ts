/**
 * `wgnn board` end to end: the board and a training run each started through the CLI in their own
 * process, and Debian's Chromium (through playwright-core) showing the run's curve grow while it
 * trains: two screenshots, the second with more epochs drawn than the first.
 * Without /usr/bin/chromium the test skips locally; in CI (CI=true) it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { CHROMIUM, chromiumAvailable } from './helpers.ts';

const haveChromium = chromiumAvailable();

const SHOTS = resolve('runs/screenshots');
/** The page's globals, for functions that run in the browser (tsconfig has no DOM types). */
interface InPage {
  document: { body: { dataset: Record<string, string> }; getElementById(id: string): { textContent: string } | null };
}

const tmp = mkdtempSync(join(tmpdir(), 'wgnn-board-'));
const children: ChildProcess[] = [];
let browser: BrowserContext | undefined;

afterAll(async () => {
  await browser?.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['bin/wgnn.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

it.skipIf(!haveChromium)('shows a training run\'s curve growing while it trains', async () => {
  const root = join(tmp, 'runs');
  const board = cli(['board', root, '--port', '0']);
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`wgnn board printed no URL:\n${board.output()}`)), 30_000);
    board.child.stdout!.on('data', () => {
      const m = /at (http:\/\/\S+)/.exec(board.output());
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmp, 'chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 640 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as InPage).document.getElementById('status')?.textContent === 'live');
  expect(await page.getAttribute('body', 'data-runs')).toBe('0');

  // Epochs of about a second each, so that the page sees the run between two of them.
  const run = cli(['train', '--model', 'mlp', '--epochs', '3', '--limit', '9000', '--backend', 'cpu', '--no-test', '--out', join(root, 'live')]);
  const points = async () => Number(await page.getAttribute('body', 'data-points'));
  await page.waitForFunction(() => Number((globalThis as unknown as InPage).document.body.dataset.points) >= 1, null, { timeout: 60_000 });
  const first = await points();
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'board-1.png') });
  expect(first).toBeLessThan(3);
  await page.waitForFunction((n) => Number((globalThis as unknown as InPage).document.body.dataset.points) > n, first, { timeout: 60_000 });
  const second = await points();
  await page.screenshot({ path: join(SHOTS, 'board-2.png') });
  expect(second).toBeGreaterThan(first);
  expect(await page.textContent('#title')).toBe('live');
  // The page draws what the run wrote: one train point per epoch in history.json.
  expect(await page.locator('#loss circle.train').count()).toBe(second);
  expect(run.output()).not.toMatch(/error/i);
}, 120_000);
