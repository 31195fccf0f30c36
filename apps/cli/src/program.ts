import { Command, CommanderError, Option } from 'commander';
import { isLatentkitError, type ReducerRegistry } from '@latentkit/core';
import { useWorkerThreads } from '@latentkit/pca/node';
import { setMachineMemory } from '@latentkit/core';
import { nodeMachineMemory } from '@latentkit/data/node';
import { useTrainingWorkers } from '@latentkit/ae-core/node';
import { enableRelaxedSimd } from '@latentkit/tfjs-wasm-train/node';
import { createContext, type CommandContext, type GlobalFlags } from './context.js';
import { checkDataSpec, withColumnFlags, type ColumnFlags } from './flags.js';
import { addModelFlags, runFit, type FitFlags } from './commands/fit.js';
import { runEval } from './commands/eval.js';
import { runReconstruct } from './commands/reconstruct.js';
import { runRestore, type RestoreFlags } from './commands/restore.js';
import { runList } from './commands/list.js';
import { runExport } from './commands/export.js';
import { addPcaCommands } from './commands/pca.js';
import { addCompressCommands } from './commands/compress.js';
import { runView } from './commands/view.js';
import { runCompare } from './commands/compare.js';
import { runDemo, type DemoFlags } from './commands/demo.js';
import { runInterpolate, runPlot, runSample, runScore } from './commands/latent-commands.js';
import { CLI_VERSION } from './version.js';
import { builtinPlugins } from './builtin-plugins.js';
import { buildRegistry, builtinRegistry, declaredKinds } from './plugins.js';
import { reducersHelp } from './plugin-help.js';

const collect = (v: string, acc: string[] = []) => [...acc, v];

/**
 * Builds the commander program; every action gets a context carrying flags, progress and the abort signal.
 * `helpRegistry` supplies the reducers whose options --help lists (built-ins unless main() loaded plugins).
 */
export function createProgram(signal: AbortSignal, helpRegistry: ReducerRegistry = builtinRegistry()): Command {
  const reducerHelp = () => `\n${reducersHelp(declaredKinds(helpRegistry).map((k) => helpRegistry.get(k)))}\n`;
  const builtinKinds = builtinPlugins.map((p) => p.kind).join(',');
  const program = new Command('latentkit')
    .description('Unsupervised learning toolkit: fit reducers (PCA, autoencoders, UMAP, plugins), compare them, and explore their latent spaces.')
    .version(CLI_VERSION)
    .option('--json', 'machine-readable output on stdout')
    .option('--quiet', 'no progress output')
    .option('--debug', 'print stack traces on errors')
    .option('--plugin <package-or-path>', 'load a third-party reducer plugin (repeatable)', collect)
    .option('--data-dir <dir>', 'folder holding Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)')
    .option('--workers <n>', 'threads an autoencoder fit may train on, data-parallel, where a step is large enough to split (same seed and n: same model; another n changes the last bits) (default: the machine\'s cores, at most 8)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const ctxOf = (cmd: Command): CommandContext => createContext(cmd.optsWithGlobals() as GlobalFlags, signal);
  // Table columns for arrow:/parquet: data, folded into the data spec (and so recorded with the model).
  const columnFlags = (c: Command) =>
    c
      .option('--columns <names>', 'arrow:/parquet: data: feature columns, comma-separated numeric columns or a vector column (default: every numeric and vector column)')
      .option('--label-column <name>', 'arrow:/parquet: data: a column of class labels (strings or whole numbers), used by figures and the viewer')
      .option('--id-column <name>', 'arrow:/parquet: data: a column of row ids');
  const withColumns = <F extends ColumnFlags & { data: string }>(flags: F): F => ({ ...flags, data: withColumnFlags(checkDataSpec(flags.data), flags) });

  addModelFlags(
    columnFlags(program
      .command('fit')
      .description('fit a reducer on a data set and save the model with its metrics')
      .addOption(new Option('--data <source>', 'mnist | fashion-mnist | idx:PATH | npy:PATH | csv:PATH | arrow:PATH | parquet:PATH').default('mnist'))
      .option('--reducer <kind>', 'reducer kind (see `latentkit list`)', builtinPlugins[0]!.kind)
      .option('--latent <d>', 'latent dimension d (reducers that allow it also take a variance fraction like 0.95)', '16')
      .option('--seed <n>', 'seed for the split and the fit', '0')
      .requiredOption('--out <dir>', 'folder to write the model bundle and metrics.json into')
      .option('--force', 'replace an existing output folder (only once the new one is complete)')
      .option('--resume', 'continue an interrupted or diverged fit from its checkpoint (<out>.checkpoint)')),
  )
    .addHelpText('after', reducerHelp)
    .action((flags: FitFlags, cmd: Command) => runFit(ctxOf(cmd), withColumns(flags)));

  program
    .command('eval')
    .description('evaluate a saved model on the test split')
    .argument('<dir>', 'model folder written by fit')
    .option('--data <source>', 'data source (default: the one the model was fitted on)')
    .option('--seed <n>', 'split seed (default: the fit seed)')
    .option('--columns <names>', 'arrow:/parquet: data: feature columns (default: those the model was fitted on)')
    .option('--label-column <name>', 'arrow:/parquet: data: a column of class labels')
    .option('--id-column <name>', 'arrow:/parquet: data: a column of row ids')
    .action((dir: string, flags: { data?: string; seed?: string }, cmd: Command) => runEval(ctxOf(cmd), dir, flags));

  program
    .command('reconstruct')
    .description('draw test images (top row) over their reconstructions (bottom row) as a PNG')
    .argument('<dir>', 'model folder written by fit')
    .option('--n <count>', 'number of images', '24')
    .requiredOption('--png <file>', 'output PNG file')
    .option('--data <source>', 'data source (default: the one the model was fitted on)')
    .option('--seed <n>', 'split seed (default: the fit seed)')
    .option('--columns <names>', 'arrow:/parquet: data: feature columns (default: those the model was fitted on)')
    .option('--label-column <name>', 'arrow:/parquet: data: a column of class labels')
    .option('--id-column <name>', 'arrow:/parquet: data: a column of row ids')
    .action((dir: string, flags: { n: string; png: string; data?: string; seed?: string }, cmd: Command) => runReconstruct(ctxOf(cmd), dir, flags));

  program
    .command('restore')
    .description('corrupt the test images (seeded), restore them with each model (g∘f), report PSNR and draw clean / corrupted / restored rows')
    .argument('<dir>', 'model folder, or a run / compare folder with several models')
    .requiredOption('--corrupt <spec>', 'noise:σ | saltpepper:p | mask:f | downsample:k')
    .requiredOption('--png <file>', 'output PNG file')
    .option('--n <count>', 'images per row', '8')
    .option('--data <source>', 'data source (default: the one the models were fitted on)')
    .option('--seed <n>', 'split and corruption seed (default: the fit seed)')
    .action((dir: string, flags: RestoreFlags, cmd: Command) => runRestore(ctxOf(cmd), dir, flags));

  addModelFlags(
    columnFlags(program
      .command('compare')
      .description('fit several reducers on the same split; write each model, compare.json and the compare.png figure')
      .option('--data <source>', 'mnist | fashion-mnist | idx:PATH | npy:PATH | csv:PATH | arrow:PATH | parquet:PATH', 'mnist')
      .option('--reducers <list>', 'comma-separated reducer kinds', builtinKinds)
      .option('--latent <d>', 'latent dimension d for every reducer', '16')
      .option('--seed <n>', 'seed for the split and the fits', '0')
      .requiredOption('--out <dir>', 'output folder')
      .option('--force', 'replace an existing output folder (only once the new one is complete)')),
  )
    .addHelpText('after', reducerHelp)
    .action((flags: FitFlags & { reducers: string }, cmd: Command) => runCompare(ctxOf(cmd), withColumns(flags)));

  addModelFlags(
    program
      .command('demo')
      .description('the main job on the embedded MNIST digits: fit every built-in reducer, explore their latent spaces, write report.html')
      .option('--reducers <list>', `comma-separated reducer kinds (default: the built-ins, ${builtinKinds})`)
      .option('--out <dir>', 'run folder', 'runs/demo')
      .option('--quick', 'a first look in under a minute (fewer digits and epochs)')
      .option('--seed <n>', 'seed for the split, fits and samples', '0')
      .option('--held-out <digit>', 'digit class left out of training for the anomaly-detection check', '0')
      .option('--train-size <n>', 'train on the first n digits of the 8,000-digit training split (default all; 1,000 with --quick)')
      .option('--test-size <n>', 'measure on the first n digits of the 2,000-digit test split (default all; 500 with --quick)')
      .option('--force', 'replace an existing run folder (only once the new one is complete)'),
  )
    .addHelpText('after', reducerHelp)
    .action((flags: DemoFlags, cmd: Command) => runDemo(ctxOf(cmd), flags));

  const dataFlags = (c: Command) =>
    columnFlags(c.option('--data <source>', 'data source (default: the one the model was fitted on)').option('--seed <n>', 'split and sampling seed (default: the fit seed)'));

  dataFlags(
    program
      .command('interpolate')
      .description('decode the straight line between two test samples\' codes: ξ(x,x′,α) = g((1−α)f(x)+αf(x′))')
      .argument('<dir>', 'model folder')
      .requiredOption('--from <i>', 'test-set index of x')
      .requiredOption('--to <j>', 'test-set index of x′')
      .option('--steps <n>', 'number of α values from 0 to 1', '10')
      .option('--slerp', 'spherical instead of linear interpolation')
      .requiredOption('--png <file>', 'output PNG'),
  ).action((dir: string, flags: Parameters<typeof runInterpolate>[2], cmd: Command) => runInterpolate(ctxOf(cmd), dir, flags));

  dataFlags(
    program
      .command('sample')
      .description('draw codes from a density fitted to the training codes, decode them, and show each over its nearest training image')
      .argument('<dir>', 'model folder')
      .option('--n <count>', 'number of samples', '32')
      .option('--density <kind>', 'gaussian or gmm (mixture with k chosen by BIC)', 'gaussian')
      .requiredOption('--png <file>', 'output PNG'),
  ).action((dir: string, flags: Parameters<typeof runSample>[2], cmd: Command) => runSample(ctxOf(cmd), dir, flags));

  dataFlags(
    program
      .command('score')
      .description('anomaly scores of the test set: reconstruction error, latent −log density, combined')
      .argument('<dir>', 'model folder')
      .requiredOption('--out <file>', 'output CSV'),
  ).action((dir: string, flags: Parameters<typeof runScore>[2], cmd: Command) => runScore(ctxOf(cmd), dir, flags));

  dataFlags(
    program
      .command('plot')
      .description('SVG charts: latent scatter, explained variance, or training loss')
      .argument('<dir>', 'model folder')
      .requiredOption('--what <chart>', 'latent | variance | loss')
      .requiredOption('--svg <file>', 'output SVG'),
  ).action((dir: string, flags: Parameters<typeof runPlot>[2], cmd: Command) => runPlot(ctxOf(cmd), dir, flags));

  program
    .command('view')
    .description('serve a run folder (demo, compare or a single model) and the web viewer on 127.0.0.1')
    .argument('<dir>', 'run or model folder')
    .option('--port <n>', 'port (0 picks a free one)', '0')
    .option('--host <address>', 'address to bind (default 127.0.0.1: this machine only)')
    .action((dir: string, flags: { port?: string; host?: string }, cmd: Command) => runView(ctxOf(cmd), dir, flags));

  program
    .command('export')
    .description('write a saved model for other tools: layers (TF.js LayersModel encoder/decoder, autoencoders) or npy (JSON + .npy arrays, PCA)')
    .argument('<dir>', 'model folder written by fit')
    .requiredOption('--out <dir>', 'folder to write (must not exist)')
    .option('--format <format>', 'layers | npy (default: the first the model offers)')
    .action((dir: string, flags: { out: string; format?: string }, cmd: Command) => runExport(ctxOf(cmd), dir, flags));

  program
    .command('list')
    .description('list reducers (built-in and plugins) with their capabilities and options, and data sources')
    .action((_flags: unknown, cmd: Command) => runList(ctxOf(cmd)));

  addPcaCommands(program, ctxOf);
  addCompressCommands(program, ctxOf);

  return program;
}

/**
 * For --help, the reducers to describe include plugins (config file and --plugin); a plugin that fails to load
 * is reported when a command uses it, not here, so help always prints.
 */
async function helpRegistryFor(argv: readonly string[]): Promise<ReducerRegistry | undefined> {
  if (!argv.includes('--help') && !argv.includes('-h') && argv[0] !== 'help') return undefined;
  const plugins = argv.flatMap((a, i) => (a === '--plugin' && argv[i + 1] ? [argv[i + 1]!] : a.startsWith('--plugin=') ? [a.slice('--plugin='.length)] : []));
  return buildRegistry(process.cwd(), plugins).catch(() => undefined);
}

/** Runs the CLI; returns the exit code. Errors become one line on stderr (stack only with --debug). */
export async function main(argv: readonly string[]): Promise<number> {
  // PCA's covariance runs on every core through worker threads (idle workers never keep the process alive);
  // measured on 2 cores: randomized fit of Fashion-MNIST 60k in 1.0 s instead of 1.5 s.
  useWorkerThreads();
  // Memory budgets (PCA's plan, the data readers) default to half of this machine's memory.
  setMachineMemory(nodeMachineMemory());
  // Autoencoder fits may train data-parallel on worker threads when --workers > 1, or on one thread with a
  // helper thread in each large matrix product where replicas do not pay; the wasm backend then starts on a
  // shared heap so the helper works in place.
  useTrainingWorkers();
  // Relaxed SIMD's fused multiply-add (behind a flag in Node 20) speeds the matMul GEMM by about 1.2×; set
  // before any backend compiles it. Worker threads share the switch.
  enableRelaxedSimd();
  const controller = new AbortController();
  // SIGTERM (kill, a supervisor, a closing terminal) stops as cleanly as Ctrl-C: staging folders, temporary
  // runs and servers are removed and closed; a second signal forces the exit (130 / 143 as shells report).
  let terminatedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGTERM' ? 143 : 130;
    if (controller.signal.aborted) process.exit(code);
    terminatedBy = signal;
    const again = signal === 'SIGTERM' ? 'send it again' : 'Ctrl-C again';
    process.stderr.write(`\nlatentkit: ${signal === 'SIGTERM' ? 'terminated' : 'interrupted'}, stopping cleanly (${again} to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const debug = argv.includes('--debug');
  try {
    await createProgram(controller.signal, await helpRegistryFor(argv)).parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const msg = isLatentkitError(e) ? e.message : e instanceof Error ? e.message : String(e);
    process.stderr.write(`latentkit: ${msg.split('\n')[0]}\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return isLatentkitError(e) && e.code === 'E_ABORTED' ? (terminatedBy === 'SIGTERM' ? 143 : 130) : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
