/** `wgnn predict RUN_DIR IMAGE...`: digits from PNG or JPEG files, preprocessed as MNIST was. */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { selectBackend } from "../backends/select.js";
import { writeFileAtomic } from "../io/atomic.js";
import { loadModel } from "../io/run-dir.js";
import { decodeImage } from "../image/decode.js";
import { mnistify, SIDE } from "../image/mnistify.js";
import { grayPng } from "../image/png.js";
import { setBackend } from "../tensor/context.js";
import { predict } from "../train/predict.js";
/** Reads and preprocesses one file; the error names the file and says what is wrong with it. */
function load(file) {
    let bytes;
    try {
        bytes = readFileSync(file);
    }
    catch (e) {
        const code = e.code;
        throw new Error(`${file}: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`}`);
    }
    const image = decodeImage(bytes, file);
    try {
        return mnistify(image);
    }
    catch (e) {
        throw new Error(`${file}: ${e.message}`);
    }
}
export async function predictFiles(dir, files, o) {
    const results = [];
    const good = [];
    for (const file of files) {
        try {
            good.push({ file, ...load(file), at: results.length });
            results.push({ file, digit: -1, probabilities: [], inverted: false });
        }
        catch (e) {
            results.push({ file, error: e.message });
        }
    }
    if (good.length) {
        const { backend } = await selectBackend(o.backend);
        setBackend(backend);
        try {
            const { model } = loadModel(dir);
            const images = new Float32Array(good.length * SIDE * SIDE);
            good.forEach((g, i) => images.set(g.pixels, i * SIDE * SIDE));
            const probs = await predict(model, { images, labels: new Uint8Array(good.length), count: good.length });
            model.dispose();
            if (o.savePreprocessed)
                mkdirSync(o.savePreprocessed, { recursive: true });
            good.forEach((g, i) => {
                const p = Array.from(probs.subarray(i * 10, (i + 1) * 10));
                const digit = p.indexOf(Math.max(...p));
                let preprocessed;
                if (o.savePreprocessed) {
                    preprocessed = join(o.savePreprocessed, `${basename(g.file)}.28x28.png`);
                    writeFileAtomic(preprocessed, grayPng(g.pixels, SIDE, SIDE));
                }
                results[g.at] = { file: g.file, digit, probabilities: p, inverted: g.inverted, ...(preprocessed ? { preprocessed } : {}) };
            });
        }
        finally {
            backend.dispose();
        }
    }
    if (o.json) {
        console.log(JSON.stringify(results));
    }
    else {
        for (const r of results) {
            if ('error' in r) {
                console.error(`wgnn: ${r.error}`);
                continue;
            }
            console.log(`${r.file}: ${r.digit} (${(r.probabilities[r.digit] * 100).toFixed(1)}%)${r.inverted ? ' [dark on light: inverted]' : ''}${r.preprocessed ? ` → ${r.preprocessed}` : ''}`);
            console.log('  ' + r.probabilities.map((p, d) => `${d}: ${p.toFixed(3)}`).join('  '));
        }
    }
    if (results.some((r) => 'error' in r))
        process.exitCode = 1;
    return results;
}
