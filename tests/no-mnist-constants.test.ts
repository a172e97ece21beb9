/**
 * Nothing below the command line may assume MNIST's 28×28 pictures or its ten classes: a data
 * set's shape and class count come from the data set (src/data/image-dataset.ts) and travel in
 * the model's config. This walks every TypeScript and JavaScript file of src/ (the page's too) and
 * finds each numeric literal whose value is 10, 28 or 784 (28², a flattened MNIST image): a
 * literal, not text in a comment or a message, and not 1e-10 or 0.28. Each file where such a
 * literal is a fact of something else (decibels, chart layout, an epoch count, a byte offset) is
 * listed below with how many it holds and why; one more anywhere fails, and so does one fewer
 * (the list stays true).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const WATCHED = new Set([10, 28, 784]);

const ALLOWED: Record<string, { count: number; why: string }> = {
  'layers/presets.ts': { count: 3, why: 'MNIST_INPUT: the one definition of MNIST\'s [1, 28, 28] input and its 10 classes, the default of a preset built without a data set' },
  'image/mnistify.ts': { count: 1, why: 'SIDE: MNIST\'s preprocessing makes 28×28 digits by definition (used only for digit models)' },
  'audio/features.ts': { count: 3, why: 'decibels and the mel scale (10^x, 10·log10)' },
  'audio/synth.ts': { count: 3, why: 'decibels (10^(snr/10)) and the ten digits 0–9 that a spoken-digit set is made of' },
  'audio/wav.ts': { count: 1, why: 'byte offset 28 of a WAV header (the byte rate field)' },
  'board/static/app.js': { count: 4, why: 'chart layout in pixels and the number of epoch ticks' },
  'plot/charts.ts': { count: 1, why: 'a font size' },
  'backends/wasm/pool.ts': { count: 1, why: 'an index into the worker pool\'s control block' },
  'train/callbacks.ts': { count: 1, why: 'ReduceLROnPlateau\'s default patience of 10 epochs, as Keras\'s' },
  'study/studies.ts': { count: 4, why: 'epochs of the seed notebooks\' studies' },
  'cli/main.ts': { count: 2, why: 'default epoch and trial counts of train and tune' },
  'serve/static/record.js': { count: 2, why: 'byte offset 28 of a WAV header, and one bar per spoken digit: a speech model\'s classes are the ten digits of the spoken-digit set' },
  'study/queue.ts': { count: 1, why: 'how often BullMQ retries a stalled trial' },
  'study/space.ts': { count: 1, why: 'the largest learning rate a search space may name' },
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return /\.(ts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

/** "file:line: text" of every watched numeric literal in `file`. */
function watchedLiterals(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const hits: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNumericLiteral(node) && WATCHED.has(Number(node.text.replace(/_/g, '')))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      hits.push(`${line + 1}: ${text.split('\n')[line].trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return hits;
}

it('finds the literals it looks for, and not those in comments, strings or other numbers', () => {
  const probe = join(SRC, 'layers/presets.ts');
  expect(watchedLiterals(probe).some((h) => h.includes('MNIST_INPUT'))).toBe(true);
  const source = ts.createSourceFile('x.ts', '// 10\nconst a = "28"; const b = 1e-10; const c = 0.28; const d = 10;', ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNumericLiteral(n) && WATCHED.has(Number(n.text))) found.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(source);
  expect(found).toEqual(['10']);
});

it('has no 10, 28 or 784 literal in src/ beyond the listed facts of other things', () => {
  const unexpected: string[] = [];
  const counts: Record<string, number> = {};
  for (const file of files(SRC)) {
    const name = relative(SRC, file).split(sep).join('/');
    const hits = watchedLiterals(file);
    if (hits.length === 0) continue;
    counts[name] = hits.length;
    if (ALLOWED[name]?.count !== hits.length) unexpected.push(...hits.map((h) => `${name}:${h}`));
  }
  expect(unexpected).toEqual([]);
  expect(Object.fromEntries(Object.entries(ALLOWED).map(([k, v]) => [k, v.count]))).toEqual(counts);
});
