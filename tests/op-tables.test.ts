/**
 * Adding a unary op touches its declaration in src/kernels/elementwise.ts, one line of
 * shaders/elementwise.wgsl and one row of the gradient checks; leaving out any of them, or its WASM
 * entry, stops the build. These tests add a fixture op, `cube`, and compile the real sources with
 * the fixture patched in (TypeScript's compiler, in memory: the files on disk stay as they are),
 * run the build's AssemblyScript check and the shader loader's check on it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { binaryCodes, elementwiseShader, unaryOps, unarySpecs } from '../src/kernels/elementwise.ts';
import { fastKernels, missingAssemblyCases } from '../src/backends/wasm/kernels.ts';
import { kernels } from '../src/kernels/registry.ts';
import { opCodes, shaderFamily } from '../src/kernels/spec.ts';
import { batchnormShader } from '../src/kernels/batchnorm.ts';
import { dropoutShader } from '../src/kernels/dropout.ts';
import { metricsShader } from '../src/kernels/metrics.ts';
import { optimizersShader } from '../src/kernels/optimizers.ts';
import { poolShader } from '../src/kernels/pool.ts';
import { reduceShader } from '../src/kernels/reduce.ts';
import { softmaxShader } from '../src/kernels/softmax.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const path = (file: string) => `${root}${file}`;
const read = (file: string) => readFileSync(path(file), 'utf8');

const declarationEnd = '} as const satisfies Record<string, UnaryOpSpec>;';
const gradRow = "  sqrt: [unary('sqrt')],\n";
/** The fixture: the cube op's declaration, with or without its WASM entry. */
const cube = (wasm: boolean) => `  cube: { f: (x) => x * x * x, df: (x) => 3 * x * x, domain: 'real'${wasm ? ", wasm: 'reference'" : ''} },\n`;

function withCube(opts: { wasm: boolean; gradRow: boolean }): Map<string, string> {
  const ew = read('src/kernels/elementwise.ts');
  const grad = read('tests/gradcheck.test.ts');
  expect(ew).toContain(declarationEnd);
  expect(grad).toContain(gradRow);
  return new Map([
    [path('src/kernels/elementwise.ts'), ew.replace(declarationEnd, `${cube(opts.wasm)}${declarationEnd}`)],
    [path('tests/gradcheck.test.ts'), opts.gradRow ? grad.replace(gradRow, `${gradRow}  cube: [unary('cube')],\n`) : grad],
  ]);
}

const config = ts.getParsedCommandLineOfConfigFile(path('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
let previous: ts.Program | undefined;

/** Type errors, as `file: message` lines, in the patched files, compiled with the project's settings. */
function compile(patched: Map<string, string>): string[] {
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile;
  host.readFile = (file) => patched.get(file) ?? readFile(file);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (file, language, onError) => {
    const text = patched.get(file);
    return text === undefined ? getSourceFile(file, language, onError) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram({ rootNames: [...patched.keys()], options: config.options, host, oldProgram: previous });
  previous = program;
  return [...patched.keys()].flatMap((file) =>
    program.getSemanticDiagnostics(program.getSourceFile(file)).map((d) => `${file.slice(root.length)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
  );
}

describe('adding a unary op', () => {
  it('compiles with its WASM entry and its gradient row (the control)', () => {
    expect(compile(withCube({ wasm: true, gradRow: true }))).toEqual([]);
  });

  it('does not compile without its WASM entry', () => {
    const errors = compile(withCube({ wasm: false, gradRow: true }));
    expect(errors.join('\n')).toMatch(/src\/kernels\/elementwise\.ts: .*'wasm' is missing/);
  });

  it('does not compile without its gradient check', () => {
    const errors = compile(withCube({ wasm: true, gradRow: false }));
    expect(errors.join('\n')).toMatch(/tests\/gradcheck\.test\.ts: Property 'cube' is missing/);
  });

  it('stops the WASM build when declared to run in WASM but missing from assembly/', () => {
    const source = read('assembly/elementwise.ts');
    expect(missingAssemblyCases(source)).toEqual([]);
    const specs = { ...unarySpecs, cube: { f: (x: number) => x ** 3, df: (x: number) => 3 * x * x, domain: 'real', wasm: 'scalar' } } as const;
    const missing = missingAssemblyCases(source, specs);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/'cube'.*case UNARY_CUBE/);
    // Declared 'reference', it needs nothing there: the backend runs the reference loop, and says so.
    expect(missingAssemblyCases(source, { ...specs, cube: { ...specs.cube, wasm: 'reference' } })).toEqual([]);
  });

  it('is refused by the shader loader without its WGSL line', () => {
    const source = read('shaders/elementwise.wgsl');
    expect(() => elementwiseShader.check(source)).not.toThrow();
    const withCubeCodes = shaderFamily('elementwise', elementwiseShader.entries, [binaryCodes, opCodes('UNARY', [...unaryOps, 'cube'])]);
    expect(() => withCubeCodes.check(source)).toThrow(/no `case UNARY_CUBE`/);
  });
});

describe('declared shader families', () => {
  const families = [elementwiseShader, batchnormShader, dropoutShader, metricsShader, optimizersShader, poolShader, reduceShader, softmaxShader];

  it('every family file implements its op codes and uses only generated declarations', () => {
    for (const family of families) {
      const source = read(`shaders/${family.name}.wgsl`);
      expect(() => family.check(source)).not.toThrow();
      // Structs and bindings come from the TS declaration, never from the file itself.
      expect(source, family.name).not.toMatch(/@binding|^struct /m);
    }
  });

  it('gives one name one binding in a family, and refuses a name read in one entry and written in another', () => {
    const pre = batchnormShader.preamble();
    expect(pre).toMatch(/@binding\(6\) var<storage, read> gamma: array<f32>;/);
    expect(pre.match(/ gamma: /g)).toHaveLength(1);
    const b = batchnormShader.entries.bn_forward.uniforms;
    expect(() => shaderFamily('bad', { one: { uniforms: b, inputs: ['x'], outputs: ['y'] }, two: { uniforms: b, inputs: ['y'], outputs: ['z'] } })).toThrow(
      /'y' is read-only in two/,
    );
  });
});

describe('the WASM table', () => {
  it('maps every kernel to WASM code: none runs the reference in its place', () => {
    const reference = Object.entries(fastKernels).filter(([, k]) => k === 'reference').map(([name]) => name);
    expect(reference).toEqual([]);
    expect(Object.keys(fastKernels).sort()).toEqual(Object.keys(kernels).sort());
  });
});
