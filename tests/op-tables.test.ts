/**
 * Adding a unary op touches its declaration in src/kernels/elementwise.ts, one line of
 * shaders/elementwise.wgsl and one row of the gradient checks; leaving out any of them, or its WASM
 * entry, stops the build. These tests add a fixture op, `cube`, and compile the real sources with
 * the fixture patched in (TypeScript's compiler, in memory: the files on disk stay as they are),
 * run the build's AssemblyScript check and the shader loader's check on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { binaryCodes, elementwiseShader, unaryOps, unarySpecs } from '../src/kernels/elementwise.ts';
import { fastKernels, missingAssemblyCases, wasmConvGeometry, wasmParams } from '../src/backends/wasm/kernels.ts';
import { kernels } from '../src/kernels/registry.ts';
import { assemblyScript, block, opCodes, pack, ShaderFamily, shaderFamily, type EntrySpec } from '../src/kernels/spec.ts';

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

  // One compile for both omissions (a compile of the project takes seconds): each error names its file and the missing entry.
  it('does not compile without its WASM entry, nor without its gradient check', () => {
    const errors = compile(withCube({ wasm: false, gradRow: false })).join('\n');
    expect(errors).toMatch(/src\/kernels\/elementwise\.ts: .*'wasm' is missing/);
    expect(errors).toMatch(/tests\/gradcheck\.test\.ts: Property 'cube' is missing/);
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

/** Every shader family the kernel files export. */
const families: ShaderFamily<Readonly<Record<string, EntrySpec>>>[] = [];
for (const file of readdirSync(path('src/kernels')).filter((f) => f.endsWith('.ts'))) {
  const exported = (await import(`../src/kernels/${file.slice(0, -3)}.ts`)) as Record<string, unknown>;
  for (const value of Object.values(exported)) if (value instanceof ShaderFamily) families.push(value);
}
/** common.wgsl: helpers put in front of every family (index folding, erf, activations), no bindings. */
const undeclared = ['common'];
/** Templates appended after the families that name them (the GEMM template, shaders/gemm.wgsl). */
const templates = [...new Set(families.flatMap((f) => (f.template ? [f.template] : [])))];

describe('declared shader families', () => {
  it('cover every family file but common.wgsl, templates included', () => {
    const files = readdirSync(path('shaders')).filter((f) => f.endsWith('.wgsl')).map((f) => f.slice(0, -5));
    expect(templates).toEqual(['gemm']);
    expect([...families.map((f) => f.name), ...templates].sort()).toEqual(files.filter((f) => !undeclared.includes(f)).sort());
  });

  it('every family file implements its op codes and uses only generated declarations', () => {
    for (const name of [...families.map((f) => f.name), ...templates, ...undeclared]) {
      const source = read(`shaders/${name}.wgsl`);
      families.find((f) => f.name === name)?.check(source);
      // Structs and bindings come from the TS declaration, never from the file itself.
      expect(source, name).not.toMatch(/@binding|^struct /m);
    }
  });

  it('declares vec4 bindings and a template instance\'s entry points from the template', () => {
    const matmul = families.find((f) => f.name === 'matmul')!;
    expect(matmul.template).toBe('gemm');
    expect(matmul.preamble()).toMatch(/var<storage, read> mb4: array<vec4f>;/);
    expect(matmul.preamble()).toMatch(/var<storage, read> mb: array<f32>;/);
    const gemm = read('shaders/gemm.wgsl');
    for (const family of families.filter((f) => f.template === 'gemm')) {
      for (const entry of Object.keys(family.entries)) {
        expect(`${read(`shaders/${family.name}.wgsl`)}\n${gemm}`, `${family.name}.${entry}`).toMatch(new RegExp(`\\bfn ${entry}\\(`));
      }
    }
  });

  it('gives one name one binding in a family, and refuses a name read in one entry and written in another', () => {
    const batchnorm = families.find((f) => f.name === 'batchnorm')!;
    const pre = batchnorm.preamble();
    expect(pre).toMatch(/@binding\(6\) var<storage, read> gamma: array<f32>;/);
    expect(pre.match(/ gamma: /g)).toHaveLength(1);
    const b = batchnorm.entries.bn_forward.uniforms;
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

describe('parameter blocks', () => {
  const b = block('demo', { n: 'u32', shape: 'u32x8', scale: 'f32', at: 'ptr' });

  it('lay out fields as WGSL lays out a uniform struct, and pack them by name', () => {
    expect(b.struct).toBe('DemoParams');
    expect(b.offsets).toEqual({ n: 0, shape: 16, scale: 48, at: 52 });
    expect(b.bytes).toBe(64);
    const view = new DataView(new ArrayBuffer(128));
    pack(b, { n: 7, shape: [3, 5], scale: 0.5, at: 4096 }, view, 64);
    expect([view.getUint32(64, true), view.getUint32(80, true), view.getUint32(84, true), view.getUint32(88, true)]).toEqual([7, 3, 5, 0]);
    expect([view.getFloat32(112, true), view.getUint32(116, true)]).toEqual([0.5, 4096]);
  });

  it('refuse values their field cannot hold', () => {
    const view = new DataView(new ArrayBuffer(64));
    expect(() => pack(b, { n: -1, shape: [], scale: 0, at: 0 }, view, 0)).toThrow(/DemoParams\.n: -1 is not a u32/);
    expect(() => pack(b, { n: 1, shape: new Array<number>(9).fill(1), scale: 0, at: 0 }, view, 0)).toThrow(/DemoParams\.shape: rank 9/);
    expect(() => opCodes('UNARY', unaryOps).code('cube' as never)).toThrow(/unknown op 'cube'/);
  });

  it('give AssemblyScript a reader per field at the same offsets, and the op codes', () => {
    const as = assemblyScript([b], [opCodes('UNARY', ['relu', 'softSign'])]);
    expect(as).toContain('export const UNARY_RELU: i32 = 0;');
    expect(as).toContain('export const UNARY_SOFT_SIGN: i32 = 1;');
    expect(as).toContain('@inline export function scale(p: usize): f32 { return load<f32>(p, 48); }');
    expect(as).toContain('@inline export function at(p: usize): usize { return load<u32>(p, 52); }');
    expect(as).toContain('@inline export function shape(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2), 16); }');
  });

  it('start every conv block with the geometry that assembly/conv2d.ts reads through Conv2dGeometryParams', () => {
    const geometry = Object.keys(wasmConvGeometry.fields);
    for (const b of [wasmParams.conv2d, wasmParams.conv2dGradInput, wasmParams.conv2dGradWeight]) {
      const head = b.layout.slice(0, geometry.length).map(({ field, type, offset }) => ({ field, type, offset }));
      expect(head, b.name).toEqual(wasmConvGeometry.layout.map(({ field, type, offset }) => ({ field, type, offset })));
    }
  });
});
