import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies run one way: tensor ← kernels ← backends, train ← io, and no module imports
 * itself back through others. Walks every import of src/ (static, re-export and dynamic), with
 * type-only imports marked, since an erased import still says which module knows which.
 */
const SRC = resolve(import.meta.dirname, '../src');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: allTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push({ specifier: arg.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sources(SRC);
const name = (file: string): string => relative(SRC, file).split(sep).join('/');
const edges: Edge[] = files.flatMap((file) =>
  importsOf(file)
    .filter((i) => i.specifier.startsWith('.'))
    .map((i) => ({ from: name(file), to: name(resolve(dirname(file), i.specifier)), typeOnly: i.typeOnly })),
);
const nodeImports = files.flatMap((file) =>
  importsOf(file)
    .filter((i) => i.specifier.startsWith('node:') && !i.typeOnly)
    .map((i) => `${name(file)} → ${i.specifier}`),
);
const area = (file: string): string => file.split('/')[0];

/** Every cycle's members (strongly connected components of more than one node, or a self-loop). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  // Iterative Tarjan: each frame is a node and the iterator over its successors.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const frames: [string, Iterator<string>][] = [];
    const enter = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      frames.push([v, (graph.get(v) ?? new Set<string>()).values()]);
    };
    enter(start);
    while (frames.length) {
      const [v, successors] = frames[frames.length - 1];
      const step = successors.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const parent = frames[frames.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          members.push(w);
        } while (w !== v);
        if (members.length > 1 || graph.get(v)?.has(v)) found.push(members.sort());
      }
    }
  }
  return found;
}

function graphOf(pairs: readonly (readonly [string, string])[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [from, to] of pairs) {
    if (!graph.has(from)) graph.set(from, new Set());
    if (!graph.has(to)) graph.set(to, new Set());
    graph.get(from)!.add(to);
  }
  return graph;
}

describe('imports in src/', () => {
  it('finds the modules it walks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.some((e) => e.from === 'kernels/conv2d.ts' && e.to === 'kernels/gpu.ts')).toBe(true);
    // The walker sees the shapes it has to: a type-only import, and a cycle in a toy graph.
    expect(edges.some((e) => e.from === 'tensor/backend.ts' && e.to === 'kernels/kernel.ts' && e.typeOnly)).toBe(true);
    expect(cycles(graphOf([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]))).toEqual([['a', 'b', 'c']]);
  });

  it('has no cycle between files, counting type-only imports', () => {
    expect(cycles(graphOf(edges.map((e) => [e.from, e.to] as const)))).toEqual([]);
  });

  it('has no cycle between directories among imports that run', () => {
    const pairs = edges.filter((e) => !e.typeOnly && area(e.from) !== area(e.to)).map((e) => [area(e.from), area(e.to)] as const);
    expect(cycles(graphOf(pairs))).toEqual([]);
  });

  it('runs tensor ← kernels ← backends, and train ← io', () => {
    const wrong = edges.filter(
      (e) =>
        (area(e.from) === 'tensor' && area(e.to) !== 'tensor' && !(area(e.to) === 'kernels' && e.typeOnly)) ||
        (area(e.from) === 'kernels' && !['kernels', 'tensor'].includes(area(e.to))) ||
        (area(e.from) === 'train' && area(e.to) === 'io'),
    );
    expect(wrong.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('keeps node: modules out of the engine core, so that a browser bundle can take it', () => {
    const core = new Set(['tensor', 'kernels', 'layers', 'optim', 'train', 'eval']);
    expect(nodeImports.filter((line) => core.has(area(line)))).toEqual([]);
  });

  it('bundles wgnn/core (src/core.ts) for a browser, with no Node module and no package', async () => {
    const r = await build({ entryPoints: [join(SRC, 'core.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
    expect(r.outputFiles[0].contents.length).toBeGreaterThan(10_000);
    expect(Object.keys(r.metafile.inputs).filter((p) => !p.startsWith('src/'))).toEqual([]);
  });
});
