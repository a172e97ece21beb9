/**
 * One model on one device, fed through one queue. The engine is single-device and not re-entrant,
 * so requests wait their turn; those that arrive while a batch runs go together in the next one,
 * which turns concurrency into throughput instead of contention.
 */
import type { Sequential } from '../layers/sequential.ts';
import { predict } from '../train/predict.ts';

interface Pending {
  pixels: Float32Array;
  resolve: (probabilities: number[]) => void;
  reject: (e: Error) => void;
}

export class InferenceQueue {
  private pending: Pending[] = [];
  private running = false;
  /** batches run and images classified, for the curious (GET /api/model reports them) */
  readonly stats = { batches: 0, images: 0 };
  /** values in one input (an image's channels × height × width, or speech's steps × features) and classes of one answer */
  private readonly size: number;
  private readonly classes: number;

  constructor(private readonly model: Sequential, private readonly maxBatch = 64) {
    this.size = model.inputShape.reduce((a, b) => a * b, 1);
    this.classes = model.outputSize;
  }

  /** Class probabilities of one input: an image of the model's shape in [0, 1], or a recording's speech features. */
  classify(pixels: Float32Array): Promise<number[]> {
    if (pixels.length !== this.size) return Promise.reject(new Error(`expected ${this.size} input values, got ${pixels.length}`));
    return new Promise((resolve, reject) => {
      this.pending.push({ pixels, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length) {
        // Other requests (GET /api/model, new bodies) get their turn before each batch: a batch
        // runs synchronously on the CPU backend, so it is kept to at most maxBatch images.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.pending.splice(0, this.maxBatch);
        const images = new Float32Array(batch.length * this.size);
        batch.forEach((p, i) => images.set(p.pixels, i * this.size));
        try {
          const probs = await predict(this.model, { images, labels: new Uint8Array(batch.length), count: batch.length });
          this.stats.batches++;
          this.stats.images += batch.length;
          const k = this.classes;
          batch.forEach((p, i) => p.resolve(Array.from(probs.subarray(i * k, (i + 1) * k))));
        } catch (e) {
          for (const p of batch) p.reject(e as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
