import { resolve } from 'node:path';
import type { Command } from 'commander';
import { open } from 'node:fs/promises';
import type { ReducerPlugin } from '@latentkit/core';
import { openRowSource, parseRowSourceSpec } from '@latentkit/data/node';
import { fitAndSave, fitStreamAndSave, streamFitterOf } from '@latentkit/run/node';
import { inputFiles, loadData, resolveDataSpec, type CommandContext } from '../context.js';
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
  corrupt?: string;
}

export function addModelFlags(cmd: Command): Command {
  return cmd
    .option('--opt <name=value>', 'a reducer option (repeatable), e.g. --opt hidden=256,64; each reducer lists its options in `latentkit list`', (v: string, acc: string[] = []) => [...acc, v])
    .option('--epochs <n>', 'shortcut for --opt epochs=<n> (reducers with an "epochs" option)')
    .option('--batch-size <n>', 'shortcut for --opt batchSize=<n>')
    .option('--learning-rate <lr>', 'shortcut for --opt learningRate=<lr>')
    .option('--corrupt <spec>', 'shortcut for --opt corrupt=<spec>: train to undo noise:σ, saltpepper:p, mask:f or downsample:k (reducers with a "corrupt" option)');
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
  // Streaming branch: see streamSpecFor for the rule. --resume takes the path the interrupted fit took (the rule
  // depends only on the plugin and the file), so it continues its checkpoint exactly.
  const streamSpec = await streamSpecFor(ctx, dataSpec, plugin);
  if (streamSpec) {
    const streamed = await fitStreamAndSave({
      workers: ctx.workers,
      registry,
      kind: plugin.kind,
      latentDim,
      options,
      spec: dataSpec,
      source: () => (ctx.progress.note(`reading ${dataSpec} in batches …`), openRowSource(streamSpec)),
      seed,
      outDir: resolve(ctx.cwd, flags.out),
      protect: await inputFiles(ctx, dataSpec),
      force: flags.force,
      resume: flags.resume,
      signal: ctx.signal,
      onProgress: ctx.progress.listener(`fit ${plugin.kind}`),
    });
    streamed.reducer.dispose();
    ctx.progress.stop();
    ctx.print(`${formatMetrics(streamed.metrics)}\nsaved to ${flags.out}`, streamed.metrics);
    return;
  }
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

/**
 * The row-source spec (path resolved) to fit as a stream, or undefined to load the data in memory. Rule: a
 * reducer whose plugin declares "fit-stream", on a file read in batches (npy, arrow, parquet — bracketed
 * column choices such as `parquet[columns=a,b;label=y]:PATH` included), always streams, whatever the file's
 * size, so peak memory never grows with the rows and small and large files take the same path. Gzipped NPY
 * cannot be read by offset and is loaded in memory as before.
 */
async function streamSpecFor(ctx: CommandContext, dataSpec: string, plugin: ReducerPlugin): Promise<string | undefined> {
  if (!streamFitterOf(plugin)) return undefined;
  const spec = resolveDataSpec(ctx, dataSpec);
  const parsed = parseRowSourceSpec(spec);
  if (!parsed) return undefined;
  if (parsed.format === 'npy' && (await startsWithGzipMagic(parsed.path))) return undefined;
  return spec;
}

/** Whether a file begins with gzip's magic bytes (a file that cannot be read: false, and its reader says why). */
async function startsWithGzipMagic(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await file.close();
  }
}
