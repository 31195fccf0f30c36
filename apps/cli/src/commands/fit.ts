import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadData, type CommandContext } from '../context.js';
import { fitAndSave } from '../fit-pipeline.js';
import { parseLatent, reducerOptionsFromFlags } from '../reducer-options.js';
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
  backend?: string;
  solver?: string;
}

export function addModelFlags(cmd: Command): Command {
  return cmd
    .option('--epochs <n>', 'training epochs (autoencoders)')
    .option('--batch-size <n>', 'mini-batch size (autoencoders)')
    .option('--learning-rate <lr>', 'Adam learning rate (autoencoders)')
    .option('--backend <name>', 'tfjs backend for autoencoders: wasm (default) or cpu')
    .option('--solver <name>', 'PCA solver: auto, exact or randomized')
    .option('--opt <key=value>', 'any reducer option (repeatable), e.g. --opt hidden=256,64', (v: string, acc: string[] = []) => [...acc, v]);
}

export async function runFit(ctx: CommandContext, flags: FitFlags): Promise<void> {
  const registry = await ctx.registry();
  const plugin = registry.get(flags.reducer);
  const latentDim = parseLatent(flags.latent);
  const options = reducerOptionsFromFlags(plugin, flags as unknown as Record<string, unknown>, flags.opt);
  const seed = Number(flags.seed);
  const data = await loadData(ctx, flags.data, seed);
  const { metrics, reducer } = await fitAndSave({
    registry,
    kind: plugin.kind,
    latentDim,
    options,
    data,
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
