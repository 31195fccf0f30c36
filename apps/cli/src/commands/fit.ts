import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fitAndSave } from '@latentkit/run/node';
import { loadData, type CommandContext } from '../context.js';
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
  const registry = await ctx.registry();
  const plugin = registry.get(flags.reducer);
  const latentDim = parseLatent(flags.latent);
  const options = reducerOptions(plugin, rawOptions(flags as unknown as Record<string, unknown>, flags.opt));
  const seed = Number(flags.seed);
  // The pipeline validates the settings before it calls the loader: a bad option never waits on the data.
  const { metrics, reducer } = await fitAndSave({
    registry,
    kind: plugin.kind,
    latentDim,
    options,
    data: () => loadData(ctx, flags.data, seed),
    seed,
    outDir: resolve(ctx.cwd, flags.out),
    force: flags.force,
    resume: flags.resume,
    signal: ctx.signal,
    onProgress: ctx.progress.listener(`fit ${plugin.kind}`),
  });
  reducer.dispose();
  ctx.progress.stop();
  ctx.print(`${formatMetrics(metrics)}\nsaved to ${flags.out}`, metrics);
}
