/**
 * The `wgnn` command line: a thin layer over the library. Each command's implementation is
 * imported when that command runs, so that `--help` and option errors load only the option lists.
 */
import { readFileSync } from 'node:fs';
import { Argument, Command, Option } from 'commander';
import { backendNames } from '../backends/select.ts';
import { ReferenceBackend } from '../backends/reference.ts';
import { activations } from '../kernels/elementwise.ts';
import { preset, presetNames, presetTraining, type PresetName } from '../layers/presets.ts';
import { monitorNames } from '../train/callbacks.ts';
import { scheduleNames } from '../train/schedules.ts';
import { datasetNames, imageDatasetNames } from '../data/datasets.ts';
import { augmentModes } from '../train/augment.ts';
import { defaultModelDir, isRunDir } from '../io/default-model.ts';
import { DEFAULT_MAX_BYTES } from '../serve/server.ts';
import { optimizerNames } from '../optim/optimizer.ts';
import { setBackend } from '../tensor/context.ts';
import { summaryTable } from './format.ts';
import { fraction, nonNegativeInt, nonNegativeNumber, port, positiveInt, positiveNumber, setting } from './options.ts';
import { studyNames, type StudyName } from '../study/studies.ts';
import { shippedSpaces } from '../study/space.ts';
import { strategies } from '../study/tune.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const BACKEND_HELP = 'device: auto (WebGPU on a hardware adapter, else wasm), wasm (WebAssembly SIMD on all cores; cpu is the same), webgpu, or reference (plain loops)';

const program = new Command('wgnn')
  .description('Train and study MNIST models on wgnn\'s own WGSL and CPU kernels')
  .version(version, '-V, --version', 'print the version')
  // bin/wgnn.mjs reads it: it runs the command without filtering Dawn's native warnings.
  .option('--verbose', 'show the WebGPU driver\'s (Dawn\'s) own warnings, hidden by default')
  .showHelpAfterError('(add --help for the options and an example)')
  .addHelpText('after', `
Examples:
  $ npx wgnn train --model mlp --epochs 1      # writes runs/mlp-<time>/ and runs/latest
  $ npx wgnn evaluate runs/latest
Every command has its own --help with an example; the README describes each.`);

/** One example under a command's --help: the line a new user can paste. */
const example = (...lines: string[]) => `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;

program
  .command('train')
  .description('train a model on MNIST (the embedded copy by default)')
  .addHelpText('after', example('npx wgnn train --model mlp --epochs 1', 'npx wgnn train --model cnn --epochs 15 --early-stopping --reduce-lr --out runs/cnn-long', 'npx wgnn train --model fast'))
  .addOption(new Option('--model <name>', 'model preset; fast brings its own recipe (1 epoch, batch 256, Adam 1e-2 β (0.7, 0.9) ε 1e-8, one-cycle, no validation split, file order; fast-shuffle the same, shuffled), each setting overridable').choices(presetNames).default('cnn'))
  .option('--config <file>', 'a model file (format "wgnn-model", e.g. written by wgnn tune) instead of --model; its training settings apply unless given here')
  .option('--epochs <n>', 'epochs (mlp3: 20)', positiveInt, 10)
  .option('--batch-size <n>', 'examples per step (default: 64, the seed notebooks\' value; 32, Keras\'s default, for mlp; 128 for mlp3)', setting('batchSize'))
  .option('--validation-split <f>', 'fraction of the training set held out (the last part, as Keras; mlp3: 0.3)', fraction, 0.1)
  .addOption(new Option('--optimizer <name>', 'optimizer').choices(optimizerNames).default('adam'))
  .option('--lr <f>', 'learning rate (default: Keras\'s for the optimizer)', positiveNumber)
  .option('--beta1 <f>', 'Adam\'s β1 (default 0.9)', fraction)
  .option('--beta2 <f>', 'Adam\'s β2 (default 0.999)', fraction)
  .option('--eps <f>', 'Adam\'s ε (default 1e-7, Keras\'s)', positiveNumber)
  .option('--shuffle', 'shuffle the training set every epoch (the default, except for fast)')
  .option('--no-shuffle', 'read the training set in file order every epoch')
  .option('--standardize', 'standardize inputs, (x − 0.1307) / 0.3081, in a first model layer (default for fast)')
  .option('--no-standardize', 'feed pixels in [0, 1] unchanged')
  .option('--seed <n>', 'seed of weights, shuffling and dropout', setting('seed'), 0)
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .option('--limit <n>', 'use only the first N training images', positiveInt)
  .option('--data <dir>', 'the data set\'s directory: four IDX files (mnist, fashion-mnist, idx; gzip accepted), CIFAR-10\'s binary batches (cifar10), one sub-folder of PNG/JPEG pictures per class (folder), or {digit}_{speaker}_{index}.wav files (spoken-digits)')
  .addOption(new Option('--dataset <name>', 'data set (default: spoken-digits for lstm and gru, else mnist, embedded); the others read --data').choices(datasetNames))
  .option('--image-size <n>', '--dataset folder: resize its pictures to N×N (default 32; a --config model\'s own input otherwise)', setting('imageSize'))
  .option('--out <dir>', 'write model.safetensors, config.json and history.json there')
  .option('--json', 'end with one line of JSON holding the results', false)
  .option('--no-test', 'skip the test-set evaluation at the end (wgnn evaluate does it, and more)')
  .option('--resume <dir>', 'continue an interrupted run from its checkpoint (its own settings; --epochs may extend it)')
  .option('--overwrite', 'replace the run already in --out (without it, a directory that holds files is refused)', false)
  .option('--dropout <f>', 'replace every dropout rate of the preset', fraction)
  .option('--l2 <f>', 'L2 penalty λ·Σw² on Dense and Conv kernels without a λ of their own (mlp3 has 0.001 on its first layer); part of every reported loss, as in Keras', nonNegativeNumber)
  .addOption(new Option('--augment [mode]', 'distort training images: digits: random shift, rotation, scale, shear and stroke weight ("affine"), plus elastic distortion ("elastic"); natural images: random crop of the image padded by 4 pixels and left-right flip ("crop-flip"); on speech models (lstm, gru) any mode adds copies of each training recording at 0.88× and 1.12× speed, and stretches and shifts in time, masks steps and coefficients (SpecAugment) and adds noise').choices(augmentModes).preset('affine'))
  .option('--no-batch-norm', 'build the CNNs without batch normalization')
  .addOption(new Option('--activation <name>', 'hidden activation').choices(activations))
  .option('--early-stopping', 'stop when the monitored metric stops improving, and restore the best weights', false)
  .addOption(new Option('--monitor <metric>', 'metric for --early-stopping and --reduce-lr').choices(monitorNames).default('val_loss'))
  .option('--patience <n>', 'early stopping: epochs without improvement', nonNegativeInt, 3)
  .option('--min-delta <f>', 'early stopping: smallest change that counts as an improvement', nonNegativeNumber, 0)
  .option('--no-restore-best', 'early stopping: keep the last weights instead of the best epoch\'s')
  .option('--reduce-lr', 'ReduceLROnPlateau: multiply the rate by --reduce-lr-factor when the metric stalls', false)
  .option('--reduce-lr-factor <f>', 'ReduceLROnPlateau factor', fraction, 0.2)
  .option('--reduce-lr-patience <n>', 'ReduceLROnPlateau patience in epochs', nonNegativeInt, 2)
  .option('--min-lr <f>', 'ReduceLROnPlateau lower bound of the rate', nonNegativeNumber, 1e-4)
  .addOption(new Option('--lr-schedule <name>', 'learning-rate schedule over the run').choices(scheduleNames).default('constant'))
  .option('--lr-decay <f>', 'step schedule: factor applied every --lr-decay-epochs', fraction, 0.5)
  .option('--lr-decay-epochs <n>', 'step schedule: epochs between decays', positiveInt, 5)
  .option('--warmup <f>', 'warmup-cosine and warmup-linear schedules: fraction of the run spent warming up', fraction, 0.1)
  .action(async (o, cmd: Command) => {
    const explicit = new Set(cmd.options.map((opt) => opt.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli'));
    // A preset with its own recipe (fast) or notebook settings (mlp, mlp3) sets every training option the command line leaves out.
    for (const [k, v] of Object.entries(presetTraining[o.model as PresetName] ?? {})) if (!explicit.has(k)) o[k] = v;
    o.batchSize ??= 64;
    await (await import('./train.ts')).train(o, explicit);
  });

program
  .command('study')
  .description(`one of the seed notebooks' experiments: trains every variant, plots them together and writes report.md (${studyNames.join(', ')})`)
  .addHelpText('after', example('npx wgnn study dropout --values 0,0.2,0.4 --epochs 5 --limit 12000 --out runs/dropout'))
  .addArgument(new Argument('<name>', 'the study').choices(studyNames))
  .option('--values <list>', 'comma-separated values of the study\'s variable (default: the notebook\'s; see the README\'s table)', (v: string) => v.split(','))
  .addOption(new Option('--model <name>', 'preset of the base run (default: mlp; mlp3 for regularization)').choices(presetNames))
  .option('--config <file>', 'a model file (format "wgnn-model", e.g. from wgnn tune) as the base run instead of --model')
  .option('--epochs <n>', 'epochs per run (default: the study\'s)', positiveInt)
  .option('--limit <n>', 'use only the first N training images', positiveInt)
  .option('--seeds <k>', 'runs per variant; the report shows mean ± std', positiveInt, 1)
  .option('--workers <n>', 'processes training variants side by side', positiveInt, 1)
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
  .option('--out <dir>', 'where the report, CSV, charts and a run directory per variant go (default: runs/study-<name>-<time>)')
  .action(async (name: StudyName, o) => void (await (await import('./study.ts')).runStudy(name, o)));

program
  .command('tune')
  .description('search a space of models and training settings (random search, Hyperband or TPE), locally or on BullMQ workers over Redis')
  .addHelpText('after', example('npx wgnn tune --space fast --strategy tpe --trials 16 --out runs/tune-fast', 'npx wgnn tune --space seeds --trials 6 --max-epochs 3 --limit 6000 --out runs/tune', 'npx wgnn tune --space fast --trials 20 --queue redis://127.0.0.1:6379 --out runs/tune-q   # then: npx wgnn worker --queue redis://…'))
  .option('--space <file>', `search space: a JSON file (format "wgnn-space"), or a shipped one: ${shippedSpaces.join(', ')} (assets/spaces/)`, 'seeds')
  .option('--trials <n>', 'configurations to try; a finished search run again with more runs only the new ones', positiveInt, 10)
  .addOption(new Option('--strategy <name>', 'search strategy').choices(strategies).default('random'))
  .option('--max-epochs <n>', 'epochs of a full trial (default: the space\'s "epochs")', positiveInt)
  .option('--early-stop', 'stop a trial whose val_accuracy after an epoch is below the median of earlier rounds\' trials (default for tpe)')
  .option('--no-early-stop', 'train every random or TPE trial to the end')
  .option('--parallel <n>', 'trials proposed per round (TPE and early stopping learn only from earlier rounds, so any number of workers gives the same trials)', positiveInt, 4)
  .option('--workers <n>', 'local processes training trials side by side', positiveInt, 1)
  .option('--no-test', 'skip each trial\'s test-set evaluation (reported for the best, never used to rank trials)')
  .option('--queue <url>', 'put the trials on the BullMQ queue at redis://host:port for `wgnn worker` processes on any machine')
  .option('--limit <n>', 'use only the first N training images', positiveInt)
  .option('--validation-split <f>', 'fraction of the training set held out', fraction, 0.1)
  .option('--seed <n>', 'seed of the sampled configurations and of every trial', setting('seed'), 0)
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
  .requiredOption('--out <dir>', 'where trials.json, best/, best-model.json and report.md go; an interrupted search there resumes')
  .action(async (o) => void (await (await import('./tune.ts')).tuneCommand(o)));

program
  .command('worker')
  .description('train the trials that `wgnn tune --queue` puts on a BullMQ queue over Redis, one at a time, until Ctrl-C')
  .addHelpText('after', example('npx wgnn worker --queue redis://10.0.0.5:6379 --name gpu-box'))
  .requiredOption('--queue <url>', 'the Redis the coordinator uses: redis://host:port')
  .option('--name <name>', 'how progress lines name this worker (default: host name and process id)')
  .option('--lock-seconds <s>', 'a trial whose worker stops answering goes back to the queue after about this', positiveNumber, 30)
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .action(async (o) => void (await (await import('./worker.ts')).workerCommand(o)));

program
  .command('compare')
  .description('overlay the training curves of any runs (train\'s, a study\'s variants) in one chart per metric and tabulate their results')
  .addHelpText('after', example('npx wgnn compare runs/mlp-20261201-101500 runs/mlp3-20261201-103000 --out runs/compare'))
  .argument('<run-dirs...>', 'run directories (runs/latest works)')
  .option('--out <dir>', 'where loss.png, accuracy.png (and .svg) and comparison.md go (default: runs/compare-<time>)')
  .option('--json', 'print one line of JSON instead of the table', false)
  .action(async (dirs: string[], o) => void (await (await import('./compare.ts')).compareRuns(dirs, o)));

program
  .command('board')
  .description('a live dashboard: the runs under a folder and their curves, updated while they train')
  .addHelpText('after', example('npx wgnn board runs --port 8090'))
  .argument('[dir]', 'the folder that holds the runs', 'runs')
  .option('--port <n>', 'TCP port (0: any free port)', nonNegativeInt, 8090)
  .option('--host <address>', 'address to bind (127.0.0.1: this machine only)', '127.0.0.1')
  .action(async (dir: string, o) => void (await (await import('./board.ts')).boardCommand(dir, o)));

program
  .command('evaluate')
  .description('test loss and accuracy, confusion matrix, classification report and worst mistakes of a run directory')
  .addHelpText('after', example('npx wgnn evaluate runs/latest'))
  .argument('<run-dir>', 'a directory written by train --out')
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .option('--data <dir>', 'the data set\'s directory (default: the run\'s; its --dataset is the run\'s)')
  .option('--limit <n>', 'use only the first N test images', positiveInt)
  .option('--worst <n>', 'misclassified images in the grid', nonNegativeInt, 36)
  .option('--json', 'print one line of JSON instead of text', false)
  .action(async (dir: string, o) => void (await (await import('./evaluate.ts')).evaluateRun(dir, o)));

program
  .command('inspect')
  .description('per-tensor shapes, parameter counts, weight statistics and histograms of a run directory')
  .addHelpText('after', example('npx wgnn inspect runs/latest'))
  .argument('<run-dir>', 'a directory written by train --out')
  .option('--json', 'print one line of JSON instead of the table', false)
  .action(async (dir: string, o) => void (await (await import('./inspect.ts')).inspectRun(dir, o)));

program
  .command('predict')
  .description('classify PNG or JPEG images of digits (preprocessed as MNIST was), or WAV recordings of spoken digits, with a trained run, or with the shipped model when no run directory comes first')
  .addHelpText('after', example('npx wgnn predict my-digit.png   |   npx wgnn predict runs/latest my-digit.png --save-preprocessed'))
  .argument('[run-dir]', 'a directory written by train --out (default: the shipped model, models/default)')
  .argument('[images...]', 'PNG or JPEG files, any size, light or dark background; WAV files for an lstm or gru run')
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .option('--save-preprocessed [dir]', 'write the 28×28 image the model saw, as FILE.28x28.png (default: current directory)')
  .option('--json', 'print one line of JSON: file, digit and probabilities for every image', false)
  .action(async (first: string | undefined, rest: string[], o) => {
    const savePreprocessed = o.savePreprocessed === true ? '.' : o.savePreprocessed;
    // commander fills the optional run directory first: it is one only if it is a directory with config.json.
    const [dir, images] = first !== undefined && isRunDir(first) ? [first, rest] : [defaultModelDir(), [first, ...rest].filter((f): f is string => f !== undefined)];
    if (images.length === 0) throw new Error('predict: no image given: pass PNG or JPEG files, after a run directory or alone (the shipped model)');
    await (await import('./predict.ts')).predictFiles(dir, images, { ...o, savePreprocessed });
  });

program
  .command('serve')
  .description('serve a web page to draw or upload a digit and see what a trained run reads (and its JSON API)')
  .addHelpText('after', example('npx wgnn serve runs/latest --port 8080'))
  .argument('[run-dir]', 'a directory written by train --out (default: the shipped model, models/default)')
  .option('--port <n>', 'TCP port (0: any free port)', port, 8080)
  .option('--host <address>', 'address to bind (127.0.0.1: this machine only)', '127.0.0.1')
  .addOption(new Option('--backend <name>', BACKEND_HELP).choices(backendNames).default('auto'))
  .option('--max-bytes <n>', 'largest request body accepted', positiveInt, DEFAULT_MAX_BYTES)
  .option('--allow-host <name>', 'also answer requests whose Host header is NAME (repeatable; localhost, IP addresses and --host always are)', (v: string, all: string[]) => [...all, v], [] as string[])
  .action(async (dir: string | undefined, o) => void (await (await import('./serve.ts')).serveRun(dir ?? defaultModelDir(), o)));

program
  .command('data')
  .description('counts and pixel statistics of MNIST; --plot draws a sample grid and the label distribution; `data spoken-digits --out DIR` synthesises spoken digits with espeak-ng')
  .addHelpText('after', example('npx wgnn data --plot --out runs/data', 'npx wgnn data spoken-digits --out data/spoken-digits'))
  .addArgument(new Argument('[set]', 'spoken-digits: synthesise a set into --out').choices(['spoken-digits']))
  .option('--voices <n>', 'spoken-digits: distinct voices (at most 350), a fifth held out for the test set', positiveInt, 150)
  .option('--repeats <n>', 'spoken-digits: renditions of each digit per voice', positiveInt, 1)
  .option('--jobs <n>', 'spoken-digits: espeak-ng processes at once', positiveInt, 2)
  .option('--seed <n>', 'spoken-digits: seed of voices, speeds, pitches, rooms and noise', setting('seed'), 0)
  .option('--data <dir>', 'the data set\'s directory (see train --data; default: the embedded MNIST)')
  .addOption(new Option('--dataset <name>', 'image data set (default mnist)').choices(imageDatasetNames))
  .option('--image-size <n>', '--dataset folder: resize its pictures to N×N (default 32)', positiveInt)
  .option('--plot', 'write samples.png and labels.png (and .svg) to --out', false)
  .option('--out <dir>', 'where --plot writes', 'runs/data')
  .option('--per-digit <n>', 'sample images per digit', positiveInt, 8)
  .option('--json', 'print one line of JSON', false)
  .action(async (set: string | undefined, o, cmd: Command) => {
    if (set !== 'spoken-digits') return (await import('./data.ts')).dataCommand(o);
    if (cmd.getOptionValueSource('out') !== 'cli') throw new Error('data spoken-digits needs --out DIR, where the WAV files go');
    await (await import('./speech.ts')).synthCommand(o);
  });

program
  .command('summary')
  .description('print the layer table and parameter counts of a model preset')
  .addHelpText('after', example('npx wgnn summary --model resnet'))
  .addOption(new Option('--model <name>', 'model preset (cifar-cnn and cifar-resnet read 3×32×32 colour images)').choices(presetNames).default('cnn'))
  .option('--classes <n>', 'classes of the last layer (default 10, as MNIST and CIFAR-10)', positiveInt)
  .action((o: { model: string; classes?: number }) => {
    setBackend(new ReferenceBackend());
    console.log(summaryTable(preset(o.model, o.classes ? { classes: o.classes } : {}).build(0), o.model));
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (process.env.WGNN_DEBUG) console.error(e);
  else console.error(`wgnn: ${(e as Error).message}`);
  process.exitCode = 1;
}
