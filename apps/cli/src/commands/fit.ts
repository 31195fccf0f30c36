import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fitAndSave } from '@latentkit/run/node';
import { inputFiles, loadData, type CommandContext } from '../context.js';
import { checkDataSpec, parseSeed } from '../flags.js';
import { parseLatent, rawOptions, reducerOptions } from '../reducer-options.js';
import { formatMetrics } from '../format.js';

export interface FitFlags {
  data: string;
  reducer: string;
  latent: string;
  seed: string;
  out: string;
  force?: boolean;
  resume?: boolean;
  opt?: string[];
  epochs?: string;
  batchSize?: string;
  learningRate?: string;
}

export function addModelFlags(cmd: Command): Command {
  return cmd
    .option('--opt <name=value>', 'a reducer option (repeatable), e.g. --opt hidden=256,64; each reducer lists its options in `latentkit list`', (v: string, acc: string[] = []) => [...acc, v])
    .option('--epochs <n>', 'shortcut for --opt epochs=<n> (reducers with an "epochs" option)')
    .option('--batch-size <n>', 'shortcut for --opt batchSize=<n>')
    .option('--learning-rate <lr>', 'shortcut for --opt learningRate=<lr>');
}

export async function runFit(ctx: CommandContext, flags: FitFlags): Promise<void> {
  // Every flag is checked before the data is read or anything is fitted.
  const seed = parseSeed(flags.seed);
  const dataSpec = checkDataSpec(flags.data);
  const latentDim = parseLatent(flags.latent);
  const raw = rawOptions(flags as unknown as Record<string, unknown>, flags.opt);
  const registry = await ctx.registry();
  const plugin = registry.get(flags.reducer);
  const options = reducerOptions(plugin, raw);
  // The pipeline validates the settings and the output folder (never one holding the input data) before it
  // calls the loader: a bad option or a refused --out never waits on the data.
  const { metrics, reducer } = await fitAndSave({
    workers: ctx.workers,
    registry,
    kind: plugin.kind,
    latentDim,
    options,
    data: () => loadData(ctx, dataSpec, seed),
    seed,
    outDir: resolve(ctx.cwd, flags.out),
    protect: await inputFiles(ctx, dataSpec),
    force: flags.force,
    resume: flags.resume,
    signal: ctx.signal,
    onProgress: ctx.progress.listener(`fit ${plugin.kind}`),
  });
  reducer.dispose();
  ctx.progress.stop();
  ctx.print(`${formatMetrics(metrics)}\nsaved to ${flags.out}`, metrics);
}
