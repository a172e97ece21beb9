/** `wgnn train`: one of the seed models on MNIST, Keras-style output, optional run directory. */
import cliProgress from 'cli-progress';
import { selectBackend } from "../backends/select.js";
import { limit, loadMnist, splitValidation } from "../data/mnist.js";
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from "../io/checkpoint.js";
import { writeReport } from "../io/report.js";
import { readRunConfig, saveModel } from "../io/run-dir.js";
import { preset } from "../layers/presets.js";
import { readModelFile } from "../study/models.js";
import { Optimizer } from "../optim/optimizer.js";
import { learningCurves } from "../plot/charts.js";
import { setBackend } from "../tensor/context.js";
import { evaluate, fit, NonFiniteLossError, TrainingInterrupted } from "../train/fit.js";
import { buildCallbacks } from "./callbacks.js";
import { epochLine } from "./format.js";
/** The settings a run directory keeps, so that --resume rebuilds the same run. */
const RUN_SETTINGS = [
    'model', 'config', 'epochs', 'batchSize', 'validationSplit', 'optimizer', 'lr', 'seed', 'limit', 'data', 'dropout', 'l2', 'batchNorm', 'activation',
    'earlyStopping', 'monitor', 'patience', 'minDelta', 'restoreBest', 'reduceLr', 'reduceLrFactor', 'reduceLrPatience', 'minLr',
    'lrSchedule', 'lrDecay', 'lrDecayEpochs',
];
/** The saved run's settings; on the command line only --epochs (to train longer), --backend and --json still apply. */
function resumeOptions(given, explicit, say) {
    const dir = given.resume;
    const saved = readRunConfig(dir).training;
    if (!saved.settings)
        throw new Error(`${dir}/config.json: has no training settings to resume from (written by an older wgnn?)`);
    // null stands for "not given" in JSON; the option's default applies again.
    const settings = Object.fromEntries(Object.entries(saved.settings).filter(([, v]) => v !== null));
    const o = { ...given, ...settings, out: dir };
    if (explicit.has('epochs'))
        o.epochs = given.epochs;
    const ignored = RUN_SETTINGS.filter((k) => k !== 'epochs' && explicit.has(k));
    if (ignored.length)
        say(`Resume: ignoring ${ignored.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}: the run's own settings are used`);
    return o;
}
export async function train(given, explicit = new Set()) {
    const say = (line) => (given.json ? process.stderr : process.stdout).write(line + '\n');
    const resumed = given.resume ? resumeOptions(given, explicit, say) : given;
    // Read before anything starts, so that a bad file fails at once; its settings yield to explicit options.
    const modelFile = resumed.config ? readModelFile(resumed.config) : null;
    const suggested = Object.entries(modelFile?.file.training ?? {}).filter(([k]) => !explicit.has(k) && !resumed.resume);
    const o = { ...resumed, ...Object.fromEntries(suggested) };
    const { backend, reason } = await selectBackend(o.backend);
    setBackend(backend);
    const abort = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
        if (++interrupts > 1)
            process.exit(130);
        say('\nInterrupted: stopping after this step (Ctrl-C again to quit at once)');
        abort.abort();
    };
    if (!o.signal)
        process.on('SIGINT', onSigint);
    try {
        say(`Backend: ${reason}`);
        const mnist = loadMnist(o.data);
        const all = o.limit ? limit(mnist.train, o.limit) : mnist.train;
        const { train: trainSet, val } = o.validationSplit > 0 ? splitValidation(all, o.validationSplit) : { train: all, val: undefined };
        say(`Data: ${trainSet.count} training, ${val?.count ?? 0} validation, ${mnist.test.count} test images${o.data ? ` from ${o.data}` : ' (embedded MNIST)'}`);
        if (modelFile)
            say(`Model: ${o.config}${modelFile.file.source ? ` (${modelFile.file.source})` : ''}`);
        const model = (modelFile?.model ?? preset(o.model, { dropout: o.dropout, batchNorm: o.batchNorm, activation: o.activation })).build(o.seed);
        const optimizer = new Optimizer(o.optimizer, { lr: o.lr });
        const steps = Math.ceil(trainSet.count / o.batchSize);
        const cbs = buildCallbacks(o, { lr: optimizer.lr, stepsPerEpoch: steps, epochs: o.epochs, hasValidation: !!val, log: say });
        let history = [];
        let initialEpoch = 0;
        if (o.resume) {
            const ckpt = loadCheckpoint(o.resume, model, optimizer, cbs.stateful);
            history = ckpt.history;
            initialEpoch = ckpt.epoch;
            if (ckpt.stopped && !explicit.has('epochs')) {
                say(`${o.resume}: training stopped early after epoch ${ckpt.epoch}; nothing to resume (pass --epochs to train further)`);
                return;
            }
            if (ckpt.epoch >= o.epochs) {
                say(`${o.resume}: all ${o.epochs} epochs are done; nothing to resume (pass --epochs N, N > ${o.epochs}, to train further)`);
                return;
            }
            say(`Resuming ${o.resume} after epoch ${ckpt.epoch} of ${o.epochs} (learning rate ${optimizer.lr.toPrecision(3)}, ${optimizer.steps} steps taken)`);
        }
        const bar = process.stderr.isTTY
            ? new cliProgress.SingleBar({ format: ' {bar} {value}/{total} - loss: {loss} - accuracy: {acc}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic)
            : null;
        const settings = Object.fromEntries(RUN_SETTINGS.map((k) => [k, o[k] ?? null]));
        const meta = {
            preset: modelFile ? null : o.model,
            training: { settings, epochs: o.epochs, batchSize: o.batchSize, validationSplit: o.validationSplit, optimizer: o.optimizer, lr: optimizer.lr, seed: o.seed, limit: o.limit ?? null, backend: backend.name },
        };
        const outcome = () => ({
            epochs: history.length,
            ...(cbs.early ? { monitor: cbs.early.monitor, bestEpoch: cbs.early.bestEpoch, best: cbs.early.best, stoppedEpoch: cbs.early.stoppedEpoch || null, restoredBest: cbs.early.restored } : {}),
        });
        const started = performance.now();
        const finish = async () => {
            if (!o.out || history.length === 0)
                return;
            await learningCurves(history, o.out, cbs.early?.bestEpoch || undefined);
            writeReport(o.out);
        };
        try {
            history = await fit(model, optimizer, trainSet, {
                epochs: o.epochs,
                batchSize: o.batchSize,
                seed: o.seed,
                validation: val,
                l2: o.l2,
                initialEpoch,
                history,
                signal: o.signal ?? abort.signal,
                onProgress: bar
                    ? (p) => {
                        if (p.step <= 1 || !bar.isActive)
                            bar.start(p.steps, 0, { loss: '-', acc: '-' });
                        bar.update(p.step, { loss: p.loss.toFixed(4), acc: p.accuracy.toFixed(4) });
                    }
                    : undefined,
                callbacks: [
                    {
                        onEpochBegin: (epoch) => void say(`Epoch ${epoch + 1}/${o.epochs}`),
                        onEpochEnd: (logs) => {
                            bar?.stop();
                            say(epochLine(logs, steps));
                        },
                    },
                    ...cbs.callbacks,
                    {
                        onEpochEnd: async (_logs, state) => {
                            if (!o.out)
                                return;
                            // The checkpoint goes last, after the callbacks above changed the rate or the weights.
                            await saveCheckpoint(o.out, { ...state, stopped: state.stop }, cbs.stateful);
                            await saveModel(o.out, model, { ...meta, outcome: outcome() }, state.history);
                        },
                    },
                ],
            });
        }
        catch (e) {
            bar?.stop();
            const kept = o.out && history.length ? `the checkpoint after epoch ${history.at(-1).epoch} is kept in ${o.out}/${CHECKPOINT_FILE}` : 'no checkpoint was written (no finished epoch, or no --out)';
            if (e instanceof TrainingInterrupted) {
                await finish();
                say(`Stopped in epoch ${e.epoch} at step ${e.step}: ${kept}${o.out && history.length ? `; continue with: npx wgnn train --resume ${o.out}` : ''}`);
                process.exitCode = 130;
                return;
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
        const test = o.test === false ? undefined : await evaluate(model, mnist.test);
        if (test)
            say(`Test loss: ${test.loss.toFixed(4)} - test accuracy: ${test.accuracy.toFixed(4)}`);
        const ran = history.slice(initialEpoch);
        const imagesPerSecond = (trainSet.count * ran.length) / ran.reduce((s, h) => s + h.seconds, 0);
        say(`Training: ${trainSeconds.toFixed(1)} s, ${Math.round(imagesPerSecond)} images/s (training steps only)`);
        if (o.out) {
            await saveModel(o.out, model, { ...meta, outcome: outcome(), test }, history);
            await finish();
            say(`Saved ${o.out}/: model.safetensors, ${CHECKPOINT_FILE}, config.json, history.json, loss/accuracy/lr .png and .svg, report.md`);
        }
        if (o.json) {
            console.log(JSON.stringify({ model: o.model, backend: backend.description, history, test, imagesPerSecond, trainSeconds, out: o.out ?? null, ...outcome() }));
        }
        model.dispose();
        optimizer.dispose();
    }
    finally {
        process.off('SIGINT', onSigint);
        backend.dispose();
    }
}
