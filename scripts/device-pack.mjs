#!/usr/bin/env node
/**
 * `npm run device:pack [-- --out DIR] [-- --xz-level N]`: writes the device kit, a folder that
 * runs wgnn's device benchmark (bench/device.ts) on a Linux x64 machine with nothing installed but
 * a Vulkan driver:
 *   run.sh            unpacks Node and dawn.node into a temporary folder, finds a Vulkan loader and
 *                     driver, and prints one JSON line (--quick or WGNN_KIT_QUICK=1: small sizes)
 *   bench.mjs         the engine and the benchmark bundled into plain JavaScript (no node_modules)
 *   node.xz           this machine's Node binary, debug info stripped, xz-compressed
 *   dawn.node.xz      the webgpu package's linux-x64 Dawn bindings, xz-compressed
 *   lib/              the Vulkan loader and the glvnd and X client libraries NVIDIA's Vulkan driver
 *                     loads, each used only where the system has none of that name
 *   shaders/ build/ data/mnist/   the WGSL, the WASM kernels, MNIST (gzipped)
 *   torch_bench.py    the same workloads in PyTorch on CUDA, for a side-by-side run
 * The default folder is device-kit/ (ignored by git). Compressed binaries are cached in
 * node_modules/.cache/wgnn-device-kit, keyed by the file's size, mtime and the xz level.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const out = resolve(option('--out', join(root, 'device-kit')));
const level = Number(option('--xz-level', '9'));
if (!Number.isInteger(level) || level < 0 || level > 9) throw new Error(`device:pack: --xz-level must be 0–9, got ${option('--xz-level')}`);
if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('device:pack: the kit carries this machine\'s Node and Dawn, so it is built on Linux x64');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// 1. The engine and the benchmark as one ES module at the kit's root. Modules locate their files
// (shaders, WASM, MNIST) relative to themselves: each src/ module's import.meta.url becomes the
// URL its source file would have inside the kit, so those paths land on the kit's copies.
const locateFromKit = {
  name: 'locate-from-kit',
  setup(b) {
    b.onLoad({ filter: /[\\/](src|bench)[\\/].*\.ts$/ }, (a) => {
      const rel = relative(root, a.path).split('\\').join('/');
      const text = readFileSync(a.path, 'utf8').replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      return { contents: text, loader: 'ts' };
    });
    // Dawn's bindings come from run.sh's temporary folder, not from node_modules/webgpu/dist.
    b.onLoad({ filter: /[\\/]node_modules[\\/]webgpu[\\/]index\.js$/ }, (a) => {
      const text = readFileSync(a.path, 'utf8');
      if (!text.includes('const dawnNodePath = ')) throw new Error('device:pack: node_modules/webgpu/index.js no longer sets dawnNodePath; update the kit');
      return { contents: text.replace('const dawnNodePath = ', 'const dawnNodePath = process.env.WGNN_DAWN_NODE || '), loader: 'js' };
    });
  },
};
await build({
  entryPoints: [join(root, 'bench/device.ts')],
  outfile: join(out, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Charts are never drawn by the benchmark (train runs with charts: false).
  external: ['vega', 'vega-lite', '@resvg/resvg-wasm'],
  banner: { js: "import { createRequire as __wgnnRequire } from 'node:module'; const require = __wgnnRequire(import.meta.url);" },
  plugins: [locateFromKit],
  logLevel: 'warning',
});

// 2. What the engine reads at run time.
cpSync(join(root, 'shaders'), join(out, 'shaders'), { recursive: true });
mkdirSync(join(out, 'build'));
for (const f of readdirSync(join(root, 'build')).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(root, 'build', f), join(out, 'build', f));
cpSync(join(root, 'data/mnist'), join(out, 'data/mnist'), { recursive: true });

// 3. Node and Dawn, compressed (cached: xz -9 of Node takes a minute).
const cacheDir = join(root, 'node_modules/.cache/wgnn-device-kit');
mkdirSync(cacheDir, { recursive: true });
function compressed(source, name, strip) {
  const s = statSync(source);
  const cached = join(cacheDir, `${name}-${s.size}-${Math.round(s.mtimeMs)}-${level}.xz`);
  if (!existsSync(cached)) {
    let input = source;
    const scratch = join(tmpdir(), `wgnn-kit-${process.pid}-${name}`);
    if (strip) {
      try {
        execFileSync('strip', ['--strip-debug', '-o', scratch, source]);
        input = scratch;
      } catch {
        console.warn(`device:pack: strip (binutils) failed or is missing: ${name} keeps its debug info`);
      }
    }
    execFileSync('sh', ['-c', `xz -T0 -${level} -c "$1" > "$2.part" && mv "$2.part" "$2"`, 'sh', input, cached]);
    rmSync(scratch, { force: true });
  }
  copyFileSync(cached, join(out, `${name}.xz`));
}
compressed(realpathSync(process.execPath), 'node', true);
compressed(join(root, 'node_modules/webgpu/dist/linux-x64/dawn.node'), 'dawn.node', false);

// 4. The Vulkan loader, and the libraries NVIDIA's Vulkan driver (libGLX_nvidia.so.0, libEGL_nvidia.so.0)
// loads from the system: a GPU container often mounts the driver but lacks glvnd and the X client
// libraries. run.sh uses each one only where the system has none of that name.
const fallbacks = ['libvulkan.so.1', 'libGLdispatch.so.0', 'libGLX.so.0', 'libEGL.so.1', 'libX11.so.6', 'libXext.so.6', 'libxcb.so.1', 'libXau.so.6', 'libXdmcp.so.6', 'libbsd.so.0', 'libmd.so.0'];
const ldconfig = execFileSync('sh', ['-c', 'ldconfig -p'], { encoding: 'utf8' });
mkdirSync(join(out, 'lib'));
for (const name of fallbacks) {
  const line = ldconfig.split('\n').find((l) => l.trim().startsWith(`${name} (libc6,x86-64)`));
  if (line) copyFileSync(realpathSync(line.slice(line.indexOf('=> ') + 3).trim()), join(out, 'lib', name));
  else console.warn(`device:pack: no ${name} on this machine; the kit will need the target's own`);
}

// 5. The scripts.
copyFileSync(join(root, 'device/run.sh'), join(out, 'run.sh'));
chmodSync(join(out, 'run.sh'), 0o755);
copyFileSync(join(root, 'device/torch_bench.py'), join(out, 'torch_bench.py'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(out, 'VERSION'), `wgnn ${version} device kit, built ${new Date().toISOString()} with Node ${process.version}\n`);

let bytes = 0;
for (const e of readdirSync(out, { withFileTypes: true, recursive: true })) if (e.isFile()) bytes += statSync(join(e.parentPath, e.name)).size;
console.log(`device:pack: ${relative(process.cwd(), out) || '.'} (${(bytes / 2 ** 20).toFixed(1)} MiB)`);
