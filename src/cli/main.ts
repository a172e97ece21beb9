/** The `wgnn` command line: a thin layer over the library. */
import { Command, Option } from 'commander';
import { backendNames } from '../backends/select.ts';
import { CpuBackend } from '../backends/cpu.ts';
import { preset, presetNames } from '../layers/presets.ts';
import { optimizerNames } from '../optim/optimizer.ts';
import { setBackend } from '../tensor/context.ts';
import { summaryTable } from './format.ts';
import { fraction, oneOf, positiveInt, positiveNumber } from './options.ts';
import { train } from './train.ts';

const program = new Command('wgnn')
  .description('Train and study MNIST models on wgnn\'s own WGSL and CPU kernels')
  .showHelpAfterError();

program
  .command('train')
  .description('train a model on MNIST (the embedded copy by default)')
  .addOption(new Option('--model <name>', 'model preset').choices(presetNames).default('cnn'))
  .option('--epochs <n>', 'epochs', positiveInt, 10)
  .option('--batch-size <n>', 'examples per step', positiveInt, 64)
  .option('--validation-split <f>', 'fraction of the training set held out (the last part, as Keras)', fraction, 0.1)
  .addOption(new Option('--optimizer <name>', 'optimizer').argParser(oneOf(optimizerNames)).default('adam'))
  .option('--lr <f>', 'learning rate (default: Keras\'s for the optimizer)', positiveNumber)
  .option('--seed <n>', 'seed of weights, shuffling and dropout', (v) => Number.parseInt(v, 10), 0)
  .addOption(new Option('--backend <name>', 'device').argParser(oneOf(backendNames)).default('auto'))
  .option('--limit <n>', 'use only the first N training images', positiveInt)
  .option('--data <dir>', 'directory of the four MNIST IDX files (gzip accepted)')
  .option('--out <dir>', 'write model.safetensors, config.json and history.json there')
  .option('--json', 'end with one line of JSON holding the results', false)
  .action(async (o) => train(o));

program
  .command('summary')
  .description('print the layer table and parameter counts of a model preset')
  .addOption(new Option('--model <name>', 'model preset').choices(presetNames).default('cnn'))
  .action((o: { model: string }) => {
    setBackend(new CpuBackend());
    console.log(summaryTable(preset(o.model).build(0), o.model));
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (process.env.WGNN_DEBUG) console.error(e);
  else console.error(`wgnn: ${(e as Error).message}`);
  process.exitCode = 1;
}
