import { SIDE } from "../image/mnistify.js";
import { predict } from "../train/predict.js";
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
export class InferenceQueue {
    model;
    maxBatch;
    pending = [];
    running = false;
    /** batches run and images classified, for the curious (GET /api/model reports them) */
    stats = { batches: 0, images: 0 };
    constructor(model, maxBatch = 256) {
        this.model = model;
        this.maxBatch = maxBatch;
    }
    /** Class probabilities of one 28×28 image in [0, 1]. */
    classify(pixels) {
        if (pixels.length !== PIXELS)
            return Promise.reject(new Error(`expected ${PIXELS} pixels, got ${pixels.length}`));
        return new Promise((resolve, reject) => {
            this.pending.push({ pixels, resolve, reject });
            if (!this.running)
                void this.drain();
        });
    }
    async drain() {
        this.running = true;
        try {
            while (this.pending.length) {
                const batch = this.pending.splice(0, this.maxBatch);
                const images = new Float32Array(batch.length * PIXELS);
                batch.forEach((p, i) => images.set(p.pixels, i * PIXELS));
                try {
                    const probs = await predict(this.model, { images, labels: new Uint8Array(batch.length), count: batch.length });
                    this.stats.batches++;
                    this.stats.images += batch.length;
                    batch.forEach((p, i) => p.resolve(Array.from(probs.subarray(i * CLASSES, (i + 1) * CLASSES))));
                }
                catch (e) {
                    for (const p of batch)
                        p.reject(e);
                }
            }
        }
        finally {
            this.running = false;
        }
    }
}
