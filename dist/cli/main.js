/**
 * The `wgnn` command line: a thin layer over the library. Each command's implementation is
 * imported when that command runs, so that `--help` and option errors load only the option lists.
 */
import { Command, Option } from 'commander';
import { backendNames } from "../backends/select.js";
import { ReferenceBackend } from "../backends/reference.js";
import { activations } from "../kernels/elementwise.js";
import { preset, presetNames } from "../layers/presets.js";
import { monitorNames } from "../train/callbacks.js";
import { scheduleNames } from "../train/schedules.js";
import { DEFAULT_MAX_BYTES } from "../serve/server.js";
import { optimizerNames } from "../optim/optimizer.js";
import { setBackend } from "../tensor/context.js";
import { summaryTable } from "./format.js";
import { fraction, nonNegativeInt, nonNegativeNumber, oneOf, positiveInt, positiveNumber } from "./options.js";
import { studyModels } from "../study/models.js";
import { studyNames } from "../study/studies.js";
import { strategies } from "../study/tune.js";
const BACKEND_HELP = 'device: auto (WebGPU on a hardware adapter, else wasm), wasm (WebAssembly SIMD on all cores; cpu is the same), webgpu, or reference (plain loops)';
const program = new Command('wgnn')
    .description('Train and study MNIST models on wgnn\'s own WGSL and CPU kernels')
    .showHelpAfterError();
program
    .command('train')
    .description('train a model on MNIST (the embedded copy by default)')
    .addOption(new Option('--model <name>', 'model preset').choices(presetNames).default('cnn'))
    .option('--config <file>', 'a model file (format "wgnn-model", e.g. written by wgnn tune) instead of --model; its training settings apply unless given here')
    .option('--epochs <n>', 'epochs', positiveInt, 10)
    .option('--batch-size <n>', 'examples per step (default: 64, the seed notebooks\' value; 32, Keras\'s default, for mlp)', positiveInt)
    .option('--validation-split <f>', 'fraction of the training set held out (the last part, as Keras)', fraction, 0.1)
    .addOption(new Option('--optimizer <name>', 'optimizer').argParser(oneOf(optimizerNames)).default('adam'))
    .option('--lr <f>', 'learning rate (default: Keras\'s for the optimizer)', positiveNumber)
    .option('--seed <n>', 'seed of weights, shuffling and dropout', (v) => Number.parseInt(v, 10), 0)
    .addOption(new Option('--backend <name>', BACKEND_HELP).argParser(oneOf(backendNames)).default('auto'))
    .option('--limit <n>', 'use only the first N training images', positiveInt)
    .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
    .option('--out <dir>', 'write model.safetensors, config.json and history.json there')
    .option('--json', 'end with one line of JSON holding the results', false)
    .option('--no-test', 'skip the test-set evaluation at the end (wgnn evaluate does it, and more)')
    .option('--resume <dir>', 'continue an interrupted run from its checkpoint (its own settings; --epochs may extend it)')
    .option('--dropout <f>', 'replace every dropout rate of the preset', fraction)
    .option('--l2 <f>', 'L2 penalty λ·Σw² on Dense and Conv kernels (included in the reported loss, as in Keras)', nonNegativeNumber)
    .option('--no-batch-norm', 'build the CNNs without batch normalization')
    .addOption(new Option('--activation <name>', 'hidden activation').argParser(oneOf(activations)))
    .option('--early-stopping', 'stop when the monitored metric stops improving, and restore the best weights', false)
    .addOption(new Option('--monitor <metric>', 'metric for --early-stopping and --reduce-lr').argParser(oneOf(monitorNames)).default('val_loss'))
    .option('--patience <n>', 'early stopping: epochs without improvement', nonNegativeInt, 3)
    .option('--min-delta <f>', 'early stopping: smallest change that counts as an improvement', nonNegativeNumber, 0)
    .option('--no-restore-best', 'early stopping: keep the last weights instead of the best epoch\'s')
    .option('--reduce-lr', 'ReduceLROnPlateau: multiply the rate by --reduce-lr-factor when the metric stalls', false)
    .option('--reduce-lr-factor <f>', 'ReduceLROnPlateau factor', fraction, 0.2)
    .option('--reduce-lr-patience <n>', 'ReduceLROnPlateau patience in epochs', nonNegativeInt, 2)
    .option('--min-lr <f>', 'ReduceLROnPlateau lower bound of the rate', nonNegativeNumber, 1e-4)
    .addOption(new Option('--lr-schedule <name>', 'learning-rate schedule over the run').argParser(oneOf(scheduleNames)).default('constant'))
    .option('--lr-decay <f>', 'step schedule: factor applied every --lr-decay-epochs', fraction, 0.5)
    .option('--lr-decay-epochs <n>', 'step schedule: epochs between decays', positiveInt, 5)
    .action(async (o, cmd) => {
    const explicit = new Set(cmd.options.map((opt) => opt.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli'));
    o.batchSize ??= o.model === 'mlp' ? 32 : 64;
    await (await import("./train.js")).train(o, explicit);
});
program
    .command('study')
    .description(`one of the seed notebooks' experiments: trains every variant, plots them together and writes report.md (${studyNames.join(', ')})`)
    .argument('<name>', 'the study', oneOf(studyNames))
    .addOption(new Option('--model <name>', 'model (default: mlp; mlp3, seed 003\'s three-dense-layer MLP, for regularization)').argParser(oneOf(studyModels)))
    .option('--epochs <n>', 'epochs per run (default: the study\'s)', positiveInt)
    .option('--limit <n>', 'use only the first N training images', positiveInt)
    .option('--seeds <k>', 'runs per variant; the report shows mean ± std', positiveInt, 1)
    .option('--workers <n>', 'processes training variants side by side', positiveInt, 1)
    .addOption(new Option('--backend <name>', BACKEND_HELP).argParser(oneOf(backendNames)).default('auto'))
    .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
    .requiredOption('--out <dir>', 'where the report, CSV and charts go')
    .action(async (name, o) => void (await (await import("./study.js")).runStudy(name, o)));
program
    .command('tune')
    .description('search the CNN\'s filters, dense units, dropout, learning rate and optimizer (Keras Tuner\'s RandomSearch or Hyperband)')
    .addOption(new Option('--model <name>', 'search space').choices(['cnn-search']).default('cnn-search'))
    .option('--trials <n>', 'configurations to try', positiveInt, 10)
    .addOption(new Option('--strategy <name>', 'search strategy').argParser(oneOf(strategies)).default('random'))
    .option('--max-epochs <n>', 'epochs of a full trial', positiveInt, 10)
    .option('--workers <n>', 'processes training trials side by side', positiveInt, 1)
    .option('--limit <n>', 'use only the first N training images', positiveInt)
    .option('--batch-size <n>', 'examples per step', positiveInt, 64)
    .option('--validation-split <f>', 'fraction of the training set held out', fraction, 0.1)
    .option('--seed <n>', 'seed of the sampled configurations and of every trial', (v) => Number.parseInt(v, 10), 0)
    .addOption(new Option('--backend <name>', BACKEND_HELP).argParser(oneOf(backendNames)).default('auto'))
    .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
    .requiredOption('--out <dir>', 'where trials.json, best-model.json and report.md go; an interrupted search there resumes')
    .action(async (o) => void (await (await import("./tune.js")).tuneCommand(o)));
program
    .command('evaluate')
    .description('test loss and accuracy, confusion matrix, classification report and worst mistakes of a run directory')
    .argument('<run-dir>', 'a directory written by train --out')
    .addOption(new Option('--backend <name>', BACKEND_HELP).argParser(oneOf(backendNames)).default('auto'))
    .option('--data <dir>', 'directory of the four MNIST IDX files (default: the run\'s)')
    .option('--limit <n>', 'use only the first N test images', positiveInt)
    .option('--worst <n>', 'misclassified images in the grid', nonNegativeInt, 36)
    .option('--json', 'print one line of JSON instead of text', false)
    .action(async (dir, o) => void (await (await import("./evaluate.js")).evaluateRun(dir, o)));
program
    .command('inspect')
    .description('per-tensor shapes, parameter counts, weight statistics and histograms of a run directory')
    .argument('<run-dir>', 'a directory written by train --out')
    .option('--json', 'print one line of JSON instead of the table', false)
    .action(async (dir, o) => void (await (await import("./inspect.js")).inspectRun(dir, o)));
program
    .command('predict')
    .description('classify PNG or JPEG images of digits with a trained run (preprocessed as MNIST was)')
    .argument('<run-dir>', 'a directory written by train --out')
    .argument('<images...>', 'PNG or JPEG files, any size, light or dark background')
    .addOption(new Option('--backend <name>', BACKEND_HELP).argParser(oneOf(backendNames)).default('auto'))
    .option('--save-preprocessed [dir]', 'write the 28×28 image the model saw, as FILE.28x28.png (default: current directory)')
    .option('--json', 'print one line of JSON: file, digit and probabilities for every image', false)
    .action(async (dir, images, o) => {
    const savePreprocessed = o.savePreprocessed === true ? '.' : o.savePreprocessed;
    await (await import("./predict.js")).predictFiles(dir, images, { ...o, savePreprocessed });
});
program
    .command('serve')
    .description('serve a web page to draw or upload a digit and see what a trained run reads (and its JSON API)')
    .argument('<run-dir>', 'a directory written by train --out')
    .option('--port <n>', 'TCP port (0: any free port)', nonNegativeInt, 8080)
    .option('--host <address>', 'address to bind (127.0.0.1: this machine only)', '127.0.0.1')
    .addOption(new Option('--backend <name>', BACKEND_HELP).argParser(oneOf(backendNames)).default('auto'))
    .option('--max-bytes <n>', 'largest request body accepted', positiveInt, DEFAULT_MAX_BYTES)
    .action(async (dir, o) => void (await (await import("./serve.js")).serveRun(dir, o)));
program
    .command('data')
    .description('counts and pixel statistics of MNIST; --plot draws a sample grid and the label distribution')
    .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
    .option('--plot', 'write samples.png and labels.png (and .svg) to --out', false)
    .option('--out <dir>', 'where --plot writes', 'runs/data')
    .option('--per-digit <n>', 'sample images per digit', positiveInt, 8)
    .option('--json', 'print one line of JSON', false)
    .action(async (o) => (await import("./data.js")).dataCommand(o));
program
    .command('summary')
    .description('print the layer table and parameter counts of a model preset')
    .addOption(new Option('--model <name>', 'model preset').choices(presetNames).default('cnn'))
    .action((o) => {
    setBackend(new ReferenceBackend());
    console.log(summaryTable(preset(o.model).build(0), o.model));
});
try {
    await program.parseAsync(process.argv);
}
catch (e) {
    if (process.env.WGNN_DEBUG)
        console.error(e);
    else
        console.error(`wgnn: ${e.message}`);
    process.exitCode = 1;
}
