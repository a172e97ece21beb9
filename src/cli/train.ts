/** `wgnn train`: one of the seed models on MNIST, Keras-style output, optional run directory. */
import cliProgress from 'cli-progress';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { limit, loadMnist, splitValidation } from '../data/mnist.ts';
import { saveModel } from '../io/run-dir.ts';
import { preset, type PresetName } from '../layers/presets.ts';
import { Optimizer, type OptimizerName } from '../optim/optimizer.ts';
import { setBackend } from '../tensor/context.ts';
import { evaluate, fit, type EpochLogs } from '../train/fit.ts';
import { epochLine } from './format.ts';

export interface TrainOptions {
  model: PresetName;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  optimizer: OptimizerName;
  lr?: number;
  seed: number;
  backend: BackendName;
  limit?: number;
  data?: string;
  out?: string;
  json: boolean;
}

export async function train(o: TrainOptions): Promise<void> {
  const say = (line: string) => (o.json ? process.stderr : process.stdout).write(line + '\n');
  const { backend, reason } = await selectBackend(o.backend);
  setBackend(backend);
  try {
    say(`Backend: ${reason}`);
    const mnist = loadMnist(o.data);
    const all = o.limit ? limit(mnist.train, o.limit) : mnist.train;
    const { train: trainSet, val } = o.validationSplit > 0 ? splitValidation(all, o.validationSplit) : { train: all, val: undefined };
    say(`Data: ${trainSet.count} training, ${val?.count ?? 0} validation, ${mnist.test.count} test images${o.data ? ` from ${o.data}` : ' (embedded MNIST)'}`);

    const model = preset(o.model).build(o.seed);
    const optimizer = new Optimizer(o.optimizer, { lr: o.lr });
    const steps = Math.ceil(trainSet.count / o.batchSize);
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} - loss: {loss} - accuracy: {acc}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic)
      : null;
    const meta = {
      preset: o.model,
      training: { epochs: o.epochs, batchSize: o.batchSize, validationSplit: o.validationSplit, optimizer: o.optimizer, lr: optimizer.lr, seed: o.seed, limit: o.limit ?? null, backend: backend.name },
    };
    const started = performance.now();
    const history: EpochLogs[] = await fit(model, optimizer, trainSet, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      validation: val,
      onProgress: bar
        ? (p) => {
            if (p.step <= 1 || !bar.isActive) bar.start(p.steps, 0, { loss: '-', acc: '-' });
            bar.update(p.step, { loss: p.loss.toFixed(4), acc: p.accuracy.toFixed(4) });
          }
        : undefined,
      callbacks: [
        {
          onEpochBegin: (epoch) => void say(`Epoch ${epoch + 1}/${o.epochs}`),
          onEpochEnd: async (logs, state) => {
            bar?.stop();
            say(epochLine(logs, steps));
            if (o.out) await saveModel(o.out, model, meta, state.history);
          },
        },
      ],
    });
    const trainSeconds = (performance.now() - started) / 1000;
    const test = await evaluate(model, mnist.test);
    say(`Test loss: ${test.loss.toFixed(4)} - test accuracy: ${test.accuracy.toFixed(4)}`);
    const imagesPerSecond = (trainSet.count * history.length) / history.reduce((s, h) => s + h.seconds, 0);
    say(`Training: ${trainSeconds.toFixed(1)} s, ${Math.round(imagesPerSecond)} images/s (training steps only)`);
    if (o.out) {
      await saveModel(o.out, model, { ...meta, test }, history);
      say(`Saved ${o.out}/model.safetensors, config.json and history.json`);
    }
    if (o.json) {
      console.log(JSON.stringify({ model: o.model, backend: backend.description, epochs: history.length, history, test, imagesPerSecond, trainSeconds, out: o.out ?? null }));
    }
    model.dispose();
    optimizer.dispose();
  } finally {
    backend.dispose();
  }
}
