/**
 * The page's engine as one ES module (`/engine.js`): src/serve/browser/engine.ts and everything it
 * imports — layers, ops, kernels, the WASM and WebGPU backends, preprocessing — bundled by esbuild
 * for the browser. The engine's modules stay Node modules; the bundle makes them browser ones:
 * - a module `X.ts` with a sibling `X.browser.ts` is replaced by it (the WASM kernels fetched
 *   rather than read from build/, one thread instead of worker_threads);
 * - `webgpu` (Dawn's Node bindings) becomes the browser's own `navigator.gpu`;
 * - `node:fs` can read shaders/*.wgsl only: their text is put in the bundle when it is built, so
 *   the .wgsl files stay the one source of the kernels; `node:os` and `node:path` get the two or
 *   three functions the engine calls, and `process.env` is empty. Any other Node import fails the build.
 * `npm run build` writes it to dist/serve/static/engine.js; from the sources (tests, `npm run dev`)
 * the server builds it in memory when it starts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const entry = join(here, 'browser', 'engine.ts');

/** Stand-ins for the Node modules the engine imports, by specifier. */
function shims(): Record<string, string> {
  const shaderDir = join(root, 'shaders');
  const shaders = Object.fromEntries(readdirSync(shaderDir).filter((f) => f.endsWith('.wgsl')).map((f) => [f, readFileSync(join(shaderDir, f), 'utf8')]));
  return {
    webgpu: 'export const create = () => globalThis.navigator?.gpu ?? null; export const globals = {};',
    'node:fs': [
      `const shaders = ${JSON.stringify(shaders)};`,
      'const missing = (what) => Object.assign(new Error(`${what}: no file system in the page`), { code: "ENOENT" });',
      'export function readFileSync(path) {',
      '  const name = String(path).split("/").pop();',
      '  if (String(path).includes("/shaders/") && Object.hasOwn(shaders, name)) return shaders[name];',
      '  throw missing(String(path));',
      '}',
      'export function writeFileSync(path) { throw missing(String(path)); }',
      'export function mkdirSync(path) { throw missing(String(path)); }',
      'export function renameSync(path) { throw missing(String(path)); }',
    ].join('\n'),
    'node:os': 'export const availableParallelism = () => globalThis.navigator?.hardwareConcurrency ?? 1; export const homedir = () => "";',
    'node:path': 'export const join = (...parts) => parts.join("/");',
  };
}

/** The bundle's source text (an ES module). */
export async function bundlePage(): Promise<string> {
  // A dev dependency: only a checkout without a built dist/ gets here.
  const esbuild = await import('esbuild');
  const stand = shims();
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    define: { 'process.env': '{}', 'process.pid': '0' },
    logLevel: 'silent',
    plugins: [
      {
        name: 'wgnn-browser',
        setup(build) {
          build.onResolve({ filter: /^(webgpu|node:.*)$/ }, (args) => {
            if (!(args.path in stand)) return { errors: [{ text: `${args.path} (imported by ${args.importer}) has no browser stand-in in src/serve/bundle.ts` }] };
            return { path: args.path, namespace: 'wgnn-shim' };
          });
          build.onLoad({ filter: /.*/, namespace: 'wgnn-shim' }, (args) => ({ contents: stand[args.path], loader: 'js' }));
          build.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => {
            const target = resolve(args.resolveDir, args.path);
            const variant = target.replace(/\.ts$/, '.browser.ts');
            if (variant !== args.importer && existsSync(variant)) return { path: variant };
            return undefined;
          });
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

// `tsx src/serve/bundle.ts OUT`: writes the bundle (npm run build).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx src/serve/bundle.ts OUT_FILE');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(out, await bundlePage());
}
