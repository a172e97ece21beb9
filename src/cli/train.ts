/** `wgnn train`: one of the seed models on MNIST, Keras-style output, optional run directory. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { selectBackend, type BackendName } from '../backends/select.ts';
import { limit, splitValidation } from '../data/mnist.ts';
import { DEFAULT_FOLDER_SIDE, loadImageDataset, requireData, type ImageDataset } from '../data/image-dataset.ts';
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from '../io/checkpoint.ts';
import { writeReport } from '../io/report.ts';
import { openRunDir, readRunConfig, saveModel, saveRunConfig } from '../io/run-dir.ts';
import { checkSettings, flagOf, settingNames, type SettingName } from '../io/settings.ts';
import type { Activation } from '../kernels/elementwise.ts';
import { preset, type PresetName } from '../layers/presets.ts';
import { readModelFile } from '../study/models.ts';
import { Optimizer, type OptimizerName } from '../optim/optimizer.ts';
import { learningCurves } from '../plot/charts.ts';
import { setBackend } from '../tensor/context.ts';
import { makeAugmenter, type AugmentMode } from '../train/augment.ts';
import { defaultSpeechAugment, SPEED_PERTURBATION, SpeechAugmenter } from '../train/speech-augment.ts';
import { DeviceLostError } from '../tensor/backend.ts';
import { evaluate, fit, NonFiniteLossError, TrainingInterrupted, type EpochLogs } from '../train/fit.ts';
import { buildCallbacks, type CallbackOptions } from './callbacks.ts';
import { readsSpeech, spokenDigitSets, type SpeechSets } from './speech.ts';
import { datasetOf, type DatasetName } from '../data/datasets.ts';
import type { Examples } from '../train/dataset.ts';
import { epochLine } from './format.ts';
import { bar, duration, ProgressLine, remaining } from './progress.ts';
import { defaultRunDir, inRunsRoot, LATEST, markLatest, resolveRunDir, type LatestKind } from './runs.ts';

export interface TrainOptions extends CallbackOptions {
  model: PresetName;
  /** a model file (wgnn tune's best-model.json) to train instead of the preset */
  config?: string;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  optimizer: OptimizerName;
  lr?: number;
  /** Adam's β1, β2 and ε (Keras's 0.9, 0.999, 1e-7 unless given) */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** false: read the training set in file order every epoch (default true) */
  shuffle?: boolean;
  /** a Standardize layer in front of the preset ((x − 0.1307) / 0.3081); default: on for `fast` only */
  standardize?: boolean;
  seed: number;
  backend: BackendName;
  limit?: number;
  data?: string;
  /** mnist (embedded), fashion-mnist, cifar10, idx, folder or spoken-digits from --data (default: spoken-digits for the lstm and gru presets, else mnist) */
  dataset?: DatasetName;
  /** --dataset folder: the side its pictures are resized to for a preset (default 32; a --config model's own input otherwise) */
  imageSize?: number;
  out?: string;
  json: boolean;
  /** overrides every dropout rate of the preset */
  dropout?: number;
  /** Keras's kernel_regularizer=l2(λ) on Dense and Conv kernels */
  l2?: number;
  batchNorm: boolean;
  activation?: Activation;
  /** evaluate on the test set at the end (false: leave it to `wgnn evaluate`) */
  test?: boolean;
  /** distort training images (src/train/augment.ts); absent: none */
  augment?: AugmentMode;
  /** a run directory to continue */
  resume?: string;
  /** replace the run already in `out` instead of refusing to write there */
  overwrite?: boolean;
  /** draw the learning curves into `out` (default true; tests that resume many runs skip them) */
  charts?: boolean;
  /** aborting stops training as Ctrl-C does (embedding and tests); without it, SIGINT is handled */
  signal?: AbortSignal;
}

/** The settings a run directory keeps, so that --resume rebuilds the same run (each with its validator). */
const RUN_SETTINGS: readonly (SettingName & keyof TrainOptions)[] = settingNames;

/** The saved run's settings; on the command line only --epochs (to train longer), --backend and --json still apply. */
function resumeOptions(given: TrainOptions, explicit: ReadonlySet<string>, say: (line: string) => void): TrainOptions {
  const dir = resolveRunDir(given.resume!);
  const saved = readRunConfig(dir).training as Partial<Record<string, unknown>>;
  if (!saved.settings) throw new Error(`${dir}/config.json: has no training settings to resume from (written by an older wgnn?)`);
  // A hand-edited config.json is checked as the command line is (null: "not given", the default applies).
  const settings = checkSettings(saved.settings, `${join(dir, 'config.json')}: training.settings`) as Partial<TrainOptions>;
  const o: TrainOptions = { ...given, ...settings, resume: dir, out: dir };
  if (explicit.has('epochs')) o.epochs = given.epochs;
  const ignored = RUN_SETTINGS.filter((k) => k !== 'epochs' && explicit.has(k));
  if (ignored.length) say(`Resume: ignoring ${ignored.map(flagOf).join(', ')}: the run's own settings are used`);
  return o;
}

/** Epochs in a run directory's history.json; -1 when it is missing or unreadable. */
function savedEpochs(dir: string): number {
  try {
    const h: unknown = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'));
    return Array.isArray(h) ? h.length : -1;
  } catch {
    return -1;
  }
}

export async function train(given: TrainOptions, explicit: ReadonlySet<string> = new Set()): Promise<void> {
  const say = (line: string) => (given.json ? process.stderr : process.stdout).write(line + '\n');
  const resumed = given.resume ? resumeOptions(given, explicit, say) : given;
  // Read before anything starts, so that a bad file fails at once; its settings yield to explicit options.
  const modelFile = resumed.config ? readModelFile(resumed.config) : null;
  const suggested = Object.entries(modelFile?.file.training ?? {}).filter(([k]) => !explicit.has(k) && !resumed.resume);
  const o: TrainOptions = { ...resumed, ...Object.fromEntries(suggested) };
  // Runs are always kept: a ten-minute training that saves nothing is lost work.
  // A data set that needs --data and has none fails here, before a run directory is made for it.
  const dataset = datasetOf(o.model, o.dataset);
  if (dataset !== 'spoken-digits') requireData(dataset, o.data);
  o.out ??= defaultRunDir(modelFile ? basename(o.config!).replace(/\.json$/, '') : o.model);
  const followLatest = inRunsRoot(o.out);
  if (o.resume && o.overwrite) throw new Error('--resume and --overwrite exclude each other: one continues a run, the other replaces it');
  // Before anything starts: a file in the way, a run already there or a run in progress refuses at once.
  const lock = openRunDir(o.out, o.resume ? 'resume' : o.overwrite ? 'overwrite' : 'new', say);
  try {
    await trainLocked(o, modelFile, explicit, say, followLatest);
  } finally {
    lock.release();
  }
}

/** The image set of a run, loaded and split; `shape` is the input of a model file (a folder set is resized to it). */
function imageSets(o: TrainOptions, dataset: Exclude<DatasetName, 'spoken-digits'>, shape: readonly number[] | undefined, say: (line: string) => void): { data: ImageDataset; train: Examples; val?: Examples; test: Examples } {
  const side = o.imageSize ?? DEFAULT_FOLDER_SIDE;
  const data = loadImageDataset(dataset, { data: o.data, shape: shape ? [...shape] : [3, side, side] });
  const all = o.limit ? limit(data.train, o.limit) : data.train;
  const { train: trainSet, val } = data.val ? { train: all, val: data.val } : o.validationSplit > 0 ? splitValidation(all, o.validationSplit) : { train: all, val: undefined };
  say(`Data: ${trainSet.count} training, ${val?.count ?? 0} validation, ${data.test.count} test images${o.data ? ` from ${o.data}` : ' (embedded MNIST)'}: ${dataset}, ${data.shape.join('×')}, ${data.classes.length} classes`);
  if (trainSet.count === 0) {
    throw new Error(`no training images: ${all.count} image${all.count === 1 ? '' : 's'}${o.limit ? ` (--limit ${o.limit})` : ''} with --validation-split ${o.validationSplit} leave${all.count === 1 ? 's' : ''} none for training`);
  }
  return { data, train: trainSet, val, test: data.test };
}

function spokenSets(o: TrainOptions, say: (line: string) => void): SpeechSets {
  // --augment on speech: speed-perturbed copies of the training recordings, then per-batch distortions.
  const sets = spokenDigitSets(o.data, o.validationSplit, o.limit, o.augment ? SPEED_PERTURBATION : []);
  say(`Data: ${sets.line}`);
  if (sets.train.count === 0) throw new Error('no training recordings: every voice is held out for validation or test');
  return sets;
}

async function trainLocked(o: TrainOptions, modelFile: ReturnType<typeof readModelFile> | null, explicit: ReadonlySet<string>, say: (line: string) => void, followLatest: boolean): Promise<void> {
  const { backend, reason } = await selectBackend(o.backend);
  setBackend(backend);
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    say('\nInterrupted: stopping after this step (Ctrl-C again to quit at once)');
    abort.abort();
  };
  if (!o.signal) process.on('SIGINT', onSigint);
  try {
    say(`Backend: ${reason}`);
    say(`Run directory: ${o.out}${followLatest ? ` (${join(dirname(o.out!), LATEST)} will point to it)` : ''}`);
    const dataset = datasetOf(o.model, o.dataset);
    const images = dataset === 'spoken-digits' ? null : imageSets(o, dataset, modelFile?.model.inputShape, say);
    const { train: trainSet, val, test: testSet } = images ?? spokenSets(o, say);

    if (modelFile) say(`Model: ${o.config}${modelFile.file.source ? ` (${modelFile.file.source})` : ''}`);
    // A preset is built for the data set: its input shape, its class count and its normalisation.
    const model = modelFile?.model ?? preset(o.model, {
      dropout: o.dropout, batchNorm: o.batchNorm, activation: o.activation, standardize: o.standardize,
      ...(images ? { inputShape: images.data.shape, classes: images.data.classes.length, normalization: images.data.normalization } : {}),
    });
    if (images) model.classNames = images.data.classes;
    model.build(o.seed);
    if (readsSpeech(model) !== (dataset === 'spoken-digits')) {
      throw new Error(`--dataset ${dataset} does not fit the model, which reads ${readsSpeech(model) ? 'speech features (--dataset spoken-digits)' : 'images (--dataset mnist, fashion-mnist, cifar10, idx or folder)'}`);
    }
    if (images && model.inputShape.join() !== images.data.shape.join()) {
      throw new Error(`--dataset ${dataset} holds ${images.data.shape.join('×')} images; the model reads ${model.inputShape.join('×')}`);
    }
    const optimizer = new Optimizer(o.optimizer, { lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps });
    const steps = Math.ceil(trainSet.count / o.batchSize);
    const cbs = buildCallbacks(o, { lr: optimizer.lr, stepsPerEpoch: steps, epochs: o.epochs, hasValidation: !!val, log: say });
    let history: EpochLogs[] = [];
    let initialEpoch = 0;
    let complete = false;
    if (o.resume && !existsSync(join(o.resume, CHECKPOINT_FILE))) {
      say(`${o.resume}: the run stopped before its first checkpoint; starting it from the first epoch`);
    } else if (o.resume) {
      const ckpt = loadCheckpoint(o.resume, model, optimizer, cbs.stateful);
      history = ckpt.history;
      initialEpoch = ckpt.epoch;
      if (ckpt.stopped && !explicit.has('epochs')) {
        say(`${o.resume}: training stopped early after epoch ${ckpt.epoch}; nothing to resume (pass --epochs to train further)`);
        complete = true;
      } else if (ckpt.epoch >= o.epochs) {
        say(`${o.resume}: all ${o.epochs} epochs are done; nothing to resume (pass --epochs N, N > ${o.epochs}, to train further)`);
        complete = true;
      }
      if (complete) {
        if (savedEpochs(o.resume) === ckpt.history.length) return;
        // Killed after the last checkpoint but before the model and history that go with it.
        say(`${o.resume}: model.safetensors and history.json are behind the checkpoint (the run was killed while saving): writing them from it`);
      } else say(`Resuming ${o.resume} after epoch ${ckpt.epoch} of ${o.epochs} (learning rate ${optimizer.lr.toPrecision(3)}, ${optimizer.steps} steps taken)`);
    }
    const progress = new ProgressLine({ log: (t) => void (o.json ? process.stderr : process.stdout).write(t) });
    const settings = Object.fromEntries(RUN_SETTINGS.map((k) => [k, o[k] ?? null]));
    const meta = {
      preset: modelFile ? null : o.model,
      training: { settings, epochs: o.epochs, batchSize: o.batchSize, validationSplit: o.validationSplit, optimizer: o.optimizer, lr: optimizer.lr, optimizerOptions: optimizer.options, seed: o.seed, limit: o.limit ?? null, backend: backend.name },
    };
    // The settings are on disk before the first checkpoint, so that a run killed at any moment resumes.
    if (o.out && !o.resume) saveRunConfig(o.out, model, meta);
    const outcome = () => ({
      epochs: history.length,
      ...(cbs.early ? { monitor: cbs.early.monitor, bestEpoch: cbs.early.bestEpoch, best: cbs.early.best, stoppedEpoch: cbs.early.stoppedEpoch || null, restoredBest: cbs.early.restored } : {}),
    });
    let latestKind: LatestKind | null = null;
    const started = performance.now();
    let epochStarted = started;
    const finish = async (): Promise<void> => {
      if (!o.out || history.length === 0) return;
      if (o.charts !== false) await learningCurves(history, o.out, cbs.early?.bestEpoch || undefined);
      writeReport(o.out);
    };
    try {
      if (!complete) history = await fit(model, optimizer, trainSet, {
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        shuffle: o.shuffle ?? true,
        validation: val,
        l2: o.l2,
        augment: !o.augment ? undefined : readsSpeech(model) ? new SpeechAugmenter(model.inputShape[0], model.inputShape[1], defaultSpeechAugment, o.seed) : makeAugmenter(o.augment, model.inputShape, o.seed),
        initialEpoch,
        history,
        signal: o.signal ?? abort.signal,
        onProgress: (p) => {
          if (p.step === p.steps) return progress.clear();
          // The run's remaining time from its pace so far (validation included), the epoch's from this epoch's.
          const runDone = (p.epoch - initialEpoch) * p.steps + p.step;
          const runLeft = remaining(runDone, (o.epochs - initialEpoch) * p.steps, (performance.now() - started) / 1000);
          const epochLeft = remaining(p.step, p.steps, (performance.now() - epochStarted) / 1000);
          progress.show(`Epoch ${p.epoch + 1}/${o.epochs} ${bar(p.step, p.steps)} ${p.step}/${p.steps} - loss: ${p.loss.toFixed(4)} - accuracy: ${p.accuracy.toFixed(4)} - epoch ETA ${duration(epochLeft)}, run ETA ${duration(Math.max(runLeft, epochLeft))}`);
        },
        callbacks: [
          {
            onEpochBegin: (epoch) => {
              epochStarted = performance.now();
              say(`Epoch ${epoch + 1}/${o.epochs}`);
            },
            onEpochEnd: (logs) => {
              progress.clear();
              say(epochLine(logs, steps));
              progress.touch();
            },
          },
          ...cbs.callbacks,
          {
            onEpochEnd: async (_logs, state) => {
              if (!o.out) return;
              // The checkpoint goes last, after the callbacks above changed the rate or the weights.
              await saveCheckpoint(o.out, { ...state, stopped: state.stop }, cbs.stateful);
              await saveModel(o.out, model, { ...meta, outcome: outcome() }, state.history);
              if (followLatest && !latestKind) latestKind = markLatest(o.out);
            },
          },
        ],
      });
    } catch (e) {
      progress.clear();
      const kept = o.out && history.length ? `the checkpoint after epoch ${history.at(-1)!.epoch} is kept in ${o.out}/${CHECKPOINT_FILE}` : 'no checkpoint was written (no finished epoch, or no --out)';
      if (e instanceof TrainingInterrupted) {
        await finish();
        say(`Stopped in epoch ${e.epoch} at step ${e.step}: ${kept}${o.out && history.length ? `; continue with: npx wgnn train --resume ${o.out}` : ''}`);
        process.exitCode = 130;
        return;
      }
      if (e instanceof DeviceLostError) {
        // Nothing more is written: the model on the device is gone, the checkpoint on disk is not.
        throw new Error(`${e.message}: training stopped in epoch ${history.length + 1}; ${kept}${o.out && history.length ? `; continue with: npx wgnn train --resume ${o.out}` : ''}`, { cause: e });
      }
      if (e instanceof NonFiniteLossError) {
        await finish();
        throw new Error(`${e.message}; ${kept}`, { cause: e });
      }
      throw e;
    }
    const early = cbs.early;
    if (early?.stoppedEpoch) {
      say(`Epoch ${early.stoppedEpoch}: early stopping: ${early.monitor} has not improved for ${early.patience} epochs; the best epoch was ${early.bestEpoch} (${early.monitor} ${early.best?.toFixed(4)})${early.restored ? ', and its weights were restored' : ''}`);
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const test = o.test === false ? undefined : await evaluate(model, testSet, { l2: o.l2 });
    if (test) say(`Test loss: ${test.loss.toFixed(4)} - test accuracy: ${test.accuracy.toFixed(4)}`);
    const ran = history.slice(initialEpoch);
    const imagesPerSecond = (trainSet.count * ran.length) / ran.reduce((s, h) => s + h.seconds, 0);
    if (ran.length) say(`Training: ${trainSeconds.toFixed(1)} s, ${Math.round(imagesPerSecond)} images/s (training steps only)`);
    if (o.out) {
      await saveModel(o.out, model, { ...meta, outcome: outcome(), test }, history);
      await finish();
      say(`Saved ${o.out}/: model.safetensors, ${CHECKPOINT_FILE}, config.json, history.json, loss/accuracy/lr .png and .svg, report.md`);
      if (latestKind) say(`${join(dirname(o.out), LATEST)} points to it${latestKind === 'pointer file' ? ' (a one-line pointer file: this file system refused a symlink)' : ''}; e.g. npx wgnn evaluate ${join(dirname(o.out), LATEST)}`);
    }
    if (o.json) {
      console.log(JSON.stringify({ model: o.model, backend: backend.description, history, test, imagesPerSecond, trainSeconds, out: o.out ?? null, ...outcome() }));
    }
    model.dispose();
    optimizer.dispose();
  } finally {
    process.off('SIGINT', onSigint);
    backend.dispose();
  }
}
