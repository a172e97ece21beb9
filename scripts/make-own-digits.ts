/**
 * Renders wgnn's own digit test set (not MNIST) into tests/fixtures/own-digits/: digits from many
 * font families, weights and slants, synthetic pen strokes, dark-on-light and light-on-dark, PNG
 * and JPEG, off-centre, noisy and unevenly lit. The set is committed, so tests and CI need none of
 * the fonts; this script is how it was made, and makes it again byte for byte on the same fonts:
 *
 *   apt-get install fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf \
 *     fonts-urw-base35 fonts-open-sans fonts-cantarell fonts-comic-neue fonts-linuxlibertine \
 *     fonts-crosextra-carlito fonts-crosextra-caladea fonts-lato fonts-inconsolata fonts-noto-mono \
 *     fonts-sil-gentium fonts-hack
 *   npx tsx scripts/make-own-digits.ts [OUT_DIR]
 *
 * Every image is listed in manifest.json with its digit and its kind; `npm run own-digits` (or
 * tests/own-digits.test.ts) reports accuracy per kind.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { Rng } from '../src/kernels/random.ts';

const require = createRequire(import.meta.url);
const OUT = process.argv[2] ?? 'tests/fixtures/own-digits';

/** Font files (Debian paths) by family, each with the styles used: [file, weight label]. */
const FONTS: [string, string][] = [
  ['truetype/dejavu/DejaVuSans.ttf', 'DejaVu Sans'],
  ['truetype/dejavu/DejaVuSans-Bold.ttf', 'DejaVu Sans Bold'],
  ['truetype/dejavu/DejaVuSans-ExtraLight.ttf', 'DejaVu Sans ExtraLight'],
  ['truetype/dejavu/DejaVuSerif.ttf', 'DejaVu Serif'],
  ['truetype/dejavu/DejaVuSansMono.ttf', 'DejaVu Sans Mono'],
  ['truetype/liberation/LiberationSans-Regular.ttf', 'Liberation Sans'],
  ['truetype/liberation/LiberationSans-Bold.ttf', 'Liberation Sans Bold'],
  ['truetype/liberation/LiberationSerif-Regular.ttf', 'Liberation Serif'],
  ['truetype/liberation/LiberationMono-Regular.ttf', 'Liberation Mono'],
  ['truetype/liberation/LiberationSansNarrow-Regular.ttf', 'Liberation Sans Narrow'],
  ['truetype/freefont/FreeSans.ttf', 'FreeSans'],
  ['truetype/freefont/FreeSerif.ttf', 'FreeSerif'],
  ['truetype/freefont/FreeMono.ttf', 'FreeMono'],
  ['opentype/urw-base35/NimbusSans-Regular.otf', 'Nimbus Sans'],
  ['opentype/urw-base35/NimbusRoman-Regular.otf', 'Nimbus Roman'],
  ['opentype/urw-base35/C059-Roman.otf', 'C059'],
  ['opentype/urw-base35/P052-Roman.otf', 'P052'],
  ['opentype/urw-base35/URWBookman-Light.otf', 'URW Bookman Light'],
  ['opentype/urw-base35/URWGothic-Book.otf', 'URW Gothic'],
  ['opentype/urw-base35/URWGothic-Demi.otf', 'URW Gothic Demi'],
  ['truetype/open-sans/OpenSans-Bold.ttf', 'Open Sans Bold'],
  ['opentype/cantarell/Cantarell-Regular.otf', 'Cantarell'],
  ['opentype/cantarell/Cantarell-Thin.otf', 'Cantarell Thin'],
  ['opentype/cantarell/Cantarell-ExtraBold.otf', 'Cantarell ExtraBold'],
  ['opentype/comic-neue/ComicNeue-Regular.otf', 'Comic Neue'],
  ['opentype/comic-neue/ComicNeue-Bold.otf', 'Comic Neue Bold'],
  ['opentype/linux-libertine/LinLibertine_R.otf', 'Linux Libertine'],
  ['opentype/linux-libertine/LinBiolinum_R.otf', 'Linux Biolinum'],
  ['truetype/crosextra/Carlito-Regular.ttf', 'Carlito'],
  ['truetype/crosextra/Caladea-Regular.ttf', 'Caladea'],
  ['truetype/lato/Lato-Regular.ttf', 'Lato'],
  ['truetype/lato/Lato-Black.ttf', 'Lato Black'],
  ['truetype/lato/Lato-Light.ttf', 'Lato Light'],
  ['truetype/inconsolata/Inconsolata.otf', 'Inconsolata'],
  ['truetype/noto/NotoSansMono-Regular.ttf', 'Noto Sans Mono'],
  ['truetype/gentium/Gentium-R.ttf', 'Gentium'],
  ['truetype/hack/Hack-Regular.ttf', 'Hack'],
];
const ITALIC_FONTS: [string, string][] = [
  ['truetype/dejavu/DejaVuSans-Oblique.ttf', 'DejaVu Sans Oblique'],
  ['truetype/dejavu/DejaVuSerif-Italic.ttf', 'DejaVu Serif Italic'],
  ['truetype/liberation/LiberationSans-Italic.ttf', 'Liberation Sans Italic'],
  ['truetype/liberation/LiberationSerif-Italic.ttf', 'Liberation Serif Italic'],
  ['truetype/freefont/FreeSansOblique.ttf', 'FreeSans Oblique'],
  ['opentype/urw-base35/NimbusRoman-Italic.otf', 'Nimbus Roman Italic'],
  ['opentype/urw-base35/P052-Italic.otf', 'P052 Italic'],
  ['opentype/comic-neue/ComicNeue-Italic.otf', 'Comic Neue Italic'],
  ['truetype/lato/Lato-Italic.ttf', 'Lato Italic'],
  ['truetype/crosextra/Carlito-Italic.ttf', 'Carlito Italic'],
  ['opentype/linux-libertine/LinLibertine_RI.otf', 'Linux Libertine Italic'],
  ['truetype/hack/Hack-Italic.ttf', 'Hack Italic'],
];

/** Handwriting-like paths of each digit in a 100×100 box; every number is jittered per image. */
const PEN: string[] = [
  'M 50 8 C 22 8 18 45 18 55 C 18 82 34 94 50 94 C 68 94 82 78 82 50 C 82 22 70 8 50 8',
  'M 38 24 L 54 8 L 54 94',
  'M 20 30 C 20 4 80 4 78 30 C 76 50 42 70 18 94 L 84 94',
  'M 22 18 C 40 0 80 8 75 30 C 72 45 56 50 42 50 C 60 50 82 58 80 75 C 78 98 34 100 20 85',
  'M 58 94 L 58 8 L 16 64 L 84 64',
  'M 78 8 L 32 8 L 27 45 C 46 34 80 40 80 68 C 80 96 40 100 20 85',
  'M 70 8 C 40 16 22 45 22 70 C 24 96 76 98 78 70 C 80 45 40 44 24 64',
  'M 18 10 L 82 10 L 40 94',
  'M 50 50 C 22 42 24 8 50 8 C 76 8 78 42 50 50 C 16 60 20 94 50 94 C 82 94 84 60 50 50',
  'M 78 30 C 78 4 24 4 24 30 C 24 56 76 56 78 30 L 72 94',
];

interface Item {
  file: string;
  digit: number;
  kind: string;
  detail: string;
}

const fontDir = '/usr/share/fonts';

function loadFonts(list: [string, string][]): { buf: Uint8Array; name: string; family: string }[] {
  return list.map(([file, name]) => {
    const path = join(fontDir, file);
    if (!existsSync(path)) throw new Error(`${path}: missing; install the Debian font packages listed at the top of this script`);
    const buf = readFileSync(path);
    return { buf, name, family: familyOf(buf) };
  });
}

/** The font's family name (name table id 1, Windows UTF-16 or Mac Roman), which resvg matches against. */
function familyOf(buf: Buffer): string {
  const tables = buf.readUInt16BE(4);
  for (let t = 0; t < tables; t++) {
    const rec = 12 + 16 * t;
    if (buf.toString('latin1', rec, rec + 4) !== 'name') continue;
    const off = buf.readUInt32BE(rec + 8);
    const count = buf.readUInt16BE(off + 2);
    const strings = off + buf.readUInt16BE(off + 4);
    let found = '';
    for (let i = 0; i < count; i++) {
      const r = off + 6 + 12 * i;
      const [platform, , , nameId, length, at] = [0, 2, 4, 6, 8, 10].map((k) => buf.readUInt16BE(r + k));
      if (nameId !== 1) continue;
      const raw = buf.subarray(strings + at, strings + at + length);
      if (platform === 3) return Buffer.from(raw).swap16().toString('utf16le');
      found ||= raw.toString('latin1');
    }
    if (found) return found;
  }
  throw new Error('font without a family name');
}

interface Look {
  size: number;
  ink: [number, number, number];
  paper: [number, number, number];
}

function render(svgBody: string, look: Look, fonts: Uint8Array[]): Uint8Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${look.size}" height="${look.size}" viewBox="0 0 ${look.size} ${look.size}">` +
    `<rect width="100%" height="100%" fill="rgb(${look.paper.join(',')})"/>${svgBody}</svg>`;
  const r = new Resvg(svg, { font: { fontBuffers: fonts, loadSystemFonts: false } });
  const img = r.render();
  const px = new Uint8Array(img.pixels);
  img.free();
  r.free();
  return px;
}

const rgb = (c: [number, number, number]) => `rgb(${c.map((v) => Math.round(v)).join(',')})`;

/** Uneven light: a brightness gradient across the page and a darker corner. */
function unevenLight(px: Uint8Array, size: number, rng: Rng): void {
  const angle = rng.next() * 2 * Math.PI;
  const strength = 0.35 + 0.3 * rng.next();
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const u = ((x / size - 0.5) * Math.cos(angle) + (y / size - 0.5) * Math.sin(angle)) * 2;
      const r2 = ((x / size - 0.5) ** 2 + (y / size - 0.5) ** 2) * 2;
      const f = Math.max(0.2, 1 - strength * (0.5 + 0.5 * u) - 0.25 * r2);
      for (let k = 0; k < 3; k++) px[4 * (y * size + x) + k] *= f;
    }
}

function addNoise(px: Uint8Array, size: number, rng: Rng, sigma: number, salt: number): void {
  for (let i = 0; i < size * size; i++) {
    const n = sigma * rng.normal();
    const s = rng.next() < salt ? (rng.next() < 0.5 ? -255 : 255) : 0;
    for (let k = 0; k < 3; k++) px[4 * i + k] = Math.max(0, Math.min(255, px[4 * i + k] + n + s));
  }
}

function encode(px: Uint8Array, size: number, asJpeg: boolean, quality = 80): Uint8Array {
  if (asJpeg) return jpeg.encode({ data: Buffer.from(px), width: size, height: size }, quality).data;
  const png = new PNG({ width: size, height: size });
  png.data = Buffer.from(px);
  return PNG.sync.write(png, { colorType: 2 });
}

async function main(): Promise<void> {
  await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const upright = loadFonts(FONTS);
  const italic = loadFonts(ITALIC_FONTS);
  const all = [...upright, ...italic].map((f) => f.buf);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const items: Item[] = [];
  const rng = new Rng(20261201);
  const white: [number, number, number] = [245, 245, 240];
  const black: [number, number, number] = [20, 20, 25];
  const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
  const jitter = (a: number) => (2 * rng.next() - 1) * a;

  const text = (digit: number, font: { family: string }, look: Look, o: { x?: number; y?: number; height?: number; skew?: number; stroke?: number } = {}) => {
    const s = look.size;
    const h = (o.height ?? 0.7) * s;
    const x = (o.x ?? 0.5) * s;
    const y = (o.y ?? 0.5) * s + 0.36 * h;
    const stroke = o.stroke ? ` stroke="${rgb(look.ink)}" stroke-width="${o.stroke * s}" stroke-linejoin="round"` : '';
    const skew = o.skew ? ` transform="translate(${x} ${y}) skewX(${o.skew}) translate(${-x} ${-y})"` : '';
    return `<text x="${x}" y="${y}" font-family="${font.family}" font-size="${h}" text-anchor="middle" fill="${rgb(look.ink)}"${stroke}${skew}>${digit}</text>`;
  };
  const pen = (digit: number, look: Look, width: number, o: { x?: number; y?: number; height?: number } = {}) => {
    const path = PEN[digit].replace(/-?\d+(\.\d+)?/g, (n) => (Number(n) + jitter(5)).toFixed(1));
    const s = look.size;
    const h = (o.height ?? 0.72) * s;
    const scale = h / 100;
    const tx = (o.x ?? 0.5) * s - 50 * scale * (0.9 + 0.2 * rng.next());
    const ty = (o.y ?? 0.5) * s - 50 * scale;
    const rot = jitter(10);
    return `<path d="${path}" fill="none" stroke="${rgb(look.ink)}" stroke-width="${width * 100}" stroke-linecap="round" stroke-linejoin="round" transform="translate(${tx} ${ty}) scale(${scale * (0.85 + 0.25 * rng.next())} ${scale}) rotate(${rot} 50 50)"/>`;
  };

  const add = (digit: number, kind: string, detail: string, px: Uint8Array, size: number, asJpeg: boolean, quality?: number) => {
    const file = `${kind}-${digit}-${items.filter((i) => i.kind === kind && i.digit === digit).length}.${asJpeg ? 'jpg' : 'png'}`;
    writeFileSync(join(OUT, file), encode(px, size, asJpeg, quality));
    items.push({ file, digit, kind, detail });
  };

  for (let digit = 0; digit < 10; digit++) {
    for (let rep = 0; rep < 4; rep++) {
      // Plain fonts, dark on light, a different family each time.
      let f = upright[(digit * 7 + rep * 11) % upright.length];
      let look: Look = { size: 48 + rng.int(48), ink: black, paper: white };
      add(digit, 'font', f.name, render(text(digit, f, look), look, all), look.size, false);
      // Slanted: italic faces, or an upright face sheared.
      const it = rep % 2 === 0 ? italic[(digit * 3 + rep) % italic.length] : null;
      f = it ?? pick(upright);
      const skew = it ? 0 : -8 - rng.int(12);
      look = { size: 56 + rng.int(40), ink: black, paper: white };
      add(digit, 'slant', it ? f.name : `${f.name}, sheared ${skew}°`, render(text(digit, f, look, { skew }), look, all), look.size, false);
      // Very thin and very heavy strokes.
      f = pick(upright);
      const thin = rep % 2 === 0;
      look = { size: 64 + rng.int(64), ink: black, paper: white };
      const weightFont = thin ? pick([upright.find((u) => u.name === 'Cantarell Thin')!, upright.find((u) => u.name === 'DejaVu Sans ExtraLight')!, upright.find((u) => u.name === 'Lato Light')!]) : f;
      add(digit, 'weight', thin ? `${weightFont.name} (thin)` : `${f.name} + 6% outline (heavy)`, render(text(digit, weightFont, look, { stroke: thin ? 0 : 0.06 }), look, all), look.size, false);
      // Synthetic pen strokes.
      look = { size: 64 + rng.int(64), ink: black, paper: white };
      const width = 0.05 + 0.08 * rng.next();
      add(digit, 'pen', `pen ${(width * 100).toFixed(0)}% wide`, render(pen(digit, look, width), look, all), look.size, rep % 2 === 1);
      // Light on dark (chalk on a board, a phone's dark mode).
      f = pick(upright);
      look = { size: 56 + rng.int(40), ink: [235, 235, 230], paper: [25 + rng.int(40), 30 + rng.int(30), 35 + rng.int(30)] };
      add(digit, 'light-on-dark', f.name, render(rep % 2 ? pen(digit, look, 0.09) : text(digit, f, look), look, all), look.size, rep % 2 === 0);
      // Coloured ink on coloured paper.
      f = pick(upright);
      const inks: [number, number, number][] = [[30, 60, 200], [190, 30, 30], [20, 120, 50], [90, 30, 140]];
      const papers: [number, number, number][] = [[250, 240, 190], [225, 240, 250], [250, 225, 225], [235, 250, 225]];
      look = { size: 56 + rng.int(40), ink: inks[rep], paper: papers[(rep + digit) % 4] };
      add(digit, 'colour', `${f.name}`, render(rep % 2 ? pen(digit, look, 0.08) : text(digit, f, look), look, all), look.size, rep % 2 === 1);
      // Off-centre and small in a larger frame.
      f = pick(upright);
      look = { size: 128 + rng.int(64), ink: black, paper: white };
      const at = { x: 0.2 + 0.6 * rng.next(), y: 0.2 + 0.6 * rng.next(), height: 0.25 + 0.15 * rng.next() };
      add(digit, 'off-centre', f.name, render(rep % 2 ? pen(digit, look, 0.08, at) : text(digit, f, look, at), look, all), look.size, false);
      // Noisy: sensor grain and salt-and-pepper specks.
      f = pick(upright);
      look = { size: 72 + rng.int(56), ink: [40, 40, 40], paper: [215, 215, 210] };
      let px = render(rep % 2 ? pen(digit, look, 0.08) : text(digit, f, look), look, all);
      addNoise(px, look.size, rng, 12 + 14 * rng.next(), 0.004);
      add(digit, 'noisy', `${rep % 2 ? 'pen' : f.name}, grain and specks`, px, look.size, rep % 2 === 0, 90);
      // Unevenly lit: a photo of paper under a lamp.
      f = pick(upright);
      look = { size: 96 + rng.int(64), ink: [35, 35, 45], paper: [235, 230, 220] };
      px = render(rep % 2 ? pen(digit, look, 0.08) : text(digit, f, look), look, all);
      unevenLight(px, look.size, rng);
      addNoise(px, look.size, rng, 4, 0);
      add(digit, 'uneven-light', `${rep % 2 ? 'pen' : f.name}, lamp gradient`, px, look.size, true, 85);
    }
  }
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify({ note: 'made by scripts/make-own-digits.ts; not MNIST', items }, null, 1) + '\n');
  const kinds = [...new Set(items.map((i) => i.kind))];
  console.log(`${items.length} images in ${OUT}: ${kinds.map((k) => `${k} ${items.filter((i) => i.kind === k).length}`).join(', ')}`);
}

await main();
