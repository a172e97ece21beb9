import { softmax } from '../kernels/softmax.ts';
import type { Sequential } from '../layers/sequential.ts';
import { scope } from '../tensor/context.ts';
import { makeBatch, type Examples } from './dataset.ts';

/** Class probabilities for every example, [count × classes] row-major, read back in batches. */
export async function predict(model: Sequential, data: Examples, batchSize = 256, onProgress?: (done: number, total: number) => void): Promise<Float32Array> {
  const classes = model.outputSize;
  const out = new Float32Array(data.count * classes);
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(data.count, start + batchSize);
    const probs = scope(() => softmax(model.predictLogits(makeBatch(data, null, start, end, model.inputShape).x)));
    out.set(await probs.read(), start * classes);
    probs.dispose();
    onProgress?.(end, data.count);
  }
  return out;
}
