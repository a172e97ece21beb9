/**
 * Accuracy on wgnn's own digit set, per kind:
 *   npx tsx scripts/own-digits-accuracy.ts [RUN_DIR]   (default: the shipped model, models/default)
 */
import { WasmBackend } from '../src/backends/wasm/backend.ts';
import { ownDigitsAccuracy } from '../src/io/own-digits.ts';
import { defaultModelDir } from '../src/io/default-model.ts';
import { loadModel } from '../src/io/run-dir.ts';
import { setBackend } from '../src/tensor/context.ts';

const dir = process.argv[2] ?? defaultModelDir();
const backend = new WasmBackend();
setBackend(backend);
const { model } = loadModel(dir);
const r = await ownDigitsAccuracy(model, process.argv[3] ?? 'tests/fixtures/own-digits');
console.log(`${dir}: ${(r.accuracy * 100).toFixed(1)}% of ${r.count} own digits`);
for (const k of r.kinds) console.log(`  ${k.kind.padEnd(14)} ${k.correct}/${k.count}  ${((100 * k.correct) / k.count).toFixed(1)}%`);
if (r.mistakes.length) console.log(`mistakes: ${r.mistakes.map((m) => `${m.file} → ${m.predicted ?? 'unreadable'}`).join(', ')}`);
model.dispose();
backend.dispose();
