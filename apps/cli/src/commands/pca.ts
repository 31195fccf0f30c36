import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LatentkitError, withMetrics } from '@latentkit/core';
import { openRowSource, parseRowSourceSpec } from '@latentkit/data/node';
import { stageDir, writeBundleFiles, writeFileAtomic } from '@latentkit/node-fs';
import { accumulatePcaStats, decodePcaStats, encodePcaStats, fitPcaFromStats, mergePcaStats, pcaPlugin, type PcaStats, reconstructionMseOfStats } from '@latentkit/pca';
import type { FitMetrics } from '@latentkit/run';
import { resolveDataSpec, type CommandContext } from '../context.js';
import { checkOutputFile, parseSeed } from '../flags.js';
import { formatMetrics } from '../format.js';
import { parseLatent, rawOptions, reducerOptions } from '../reducer-options.js';

/**
 * `latentkit pca stats|merge|fit-stats`: PCA's sufficient statistics (n, Σx, XᵀX) per shard, merged exactly,
 * and fitted into a model folder like `fit` writes. The statistics file is a safetensors file (layout in
 * @latentkit/pca's stats-file.ts), so a Spark or DuckDB job can write one per partition instead.
 */
export function addPcaCommands(program: Command, ctxOf: (cmd: Command) => CommandContext): void {
  const pca = program.command('pca').description("PCA from sufficient statistics: per-shard statistics, exact merging, and a fit from them (the road to a cluster)");
  pca
    .command('stats')
    .description('sum one shard\'s PCA statistics (n, Σx, XᵀX in float64) in one pass over its rows, without holding them')
    .requiredOption('--data <source>', 'npy:PATH | arrow:PATH | parquet:PATH')
    .option('--columns <list>', 'Arrow/Parquet: the vector column, or the numeric columns, to read (comma-separated)')
    .requiredOption('--out <file>', 'statistics file to write (safetensors layout)')
    .action((flags: StatsFlags, cmd: Command) => runPcaStats(ctxOf(cmd), flags));
  pca
    .command('merge')
    .description('add the statistics of disjoint shards: the result equals the statistics of all their rows')
    .argument('<files...>', 'statistics files (from `pca stats`, or written per partition by another engine)')
    .requiredOption('--out <file>', 'merged statistics file to write')
    .action((files: string[], flags: { out: string }, cmd: Command) => runPcaMerge(ctxOf(cmd), files, flags));
  pca
    .command('fit-stats')
    .description('fit PCA from a statistics file and save a model folder every other command loads')
    .argument('<file>', 'statistics file')
    .option('--latent <d>', 'components d, or a variance fraction like 0.95', '16')
    .option('--seed <n>', 'seed for the randomized solver', '0')
    .option('--opt <name=value>', 'a PCA option (repeatable), e.g. --opt solver=exact', (v: string, acc: string[] = []) => [...acc, v])
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--force', 'replace an existing output folder (only once the new one is complete)')
    .action((file: string, flags: FitStatsFlags, cmd: Command) => runPcaFitStats(ctxOf(cmd), file, flags));
}

interface StatsFlags {
  data: string;
  columns?: string;
  out: string;
}

interface FitStatsFlags {
  latent: string;
  seed: string;
  opt?: string[];
  out: string;
  force?: boolean;
}

/**
 * A row-source spec with its path resolved against the command's working folder, bracketed table specs
 * (`parquet[columns=a,b]:PATH`) included; anything else is left for openRowSource to refuse in one line.
 */
function resolvedSpec(ctx: CommandContext, spec: string): string {
  const resolved = resolveDataSpec(ctx, spec);
  return parseRowSourceSpec(resolved) ? resolved : spec;
}

function describeStats(s: PcaStats): string {
  return `${s.n.toLocaleString('en')} rows × ${s.D} features`;
}

async function readStatsFile(ctx: CommandContext, file: string): Promise<PcaStats> {
  const path = resolve(ctx.cwd, file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new LatentkitError('E_IO', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodePcaStats(bytes, file);
}

export async function runPcaStats(ctx: CommandContext, flags: StatsFlags): Promise<void> {
  const out = await checkOutputFile('--out', flags.out, ctx.cwd);
  const columns = flags.columns?.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const source = await openRowSource(resolvedSpec(ctx, flags.data), columns && columns.length > 0 ? { columns } : {});
  const progress = ctx.progress.listener('pca stats');
  const stats = await accumulatePcaStats(source, { signal: ctx.signal, report: (phase, fraction) => progress({ phase, fraction }) });
  await writeFileAtomic(out, encodePcaStats(stats));
  ctx.progress.stop();
  ctx.print(`PCA statistics of ${describeStats(stats)} from ${flags.data}\nsaved to ${flags.out}`, { n: stats.n, features: stats.D, data: flags.data, out: flags.out });
}

export async function runPcaMerge(ctx: CommandContext, files: readonly string[], flags: { out: string }): Promise<void> {
  if (files.length < 2) throw new LatentkitError('E_OPTION', `pca merge needs at least 2 statistics files, got ${files.length}`);
  const out = await checkOutputFile('--out', flags.out, ctx.cwd);
  if (files.some((f) => resolve(ctx.cwd, f) === out)) throw new LatentkitError('E_OPTION', `--out ${flags.out} is one of the files being merged; write the merge elsewhere`);
  let merged = await readStatsFile(ctx, files[0]!);
  for (const file of files.slice(1)) {
    const next = await readStatsFile(ctx, file);
    if (next.D !== merged.D) throw new LatentkitError('E_SHAPE', `${file} holds statistics of ${next.D} features, ${files[0]} of ${merged.D}: they are not shards of one data set`);
    merged = mergePcaStats(merged, next);
  }
  await writeFileAtomic(out, encodePcaStats(merged));
  ctx.print(`merged ${files.length} statistics files: ${describeStats(merged)}\nsaved to ${flags.out}`, { n: merged.n, features: merged.D, files: files.length, out: flags.out });
}

export async function runPcaFitStats(ctx: CommandContext, file: string, flags: FitStatsFlags): Promise<void> {
  const seed = parseSeed(flags.seed);
  const latentDim = parseLatent(flags.latent);
  const registry = await ctx.registry();
  // The options are PCA's own (this command is PCA's): coerced by its schema, validated again by the fit.
  const options = reducerOptions(pcaPlugin, rawOptions({}, flags.opt));
  const settings = await registry.settings(pcaPlugin.kind, latentDim, options);
  const outDir = resolve(ctx.cwd, flags.out);
  const statsPath = resolve(ctx.cwd, file);
  const staged = await stageDir(outDir, { force: flags.force, protect: [statsPath] });
  try {
    const stats = await readStatsFile(ctx, file);
    const { model, result } = await fitPcaFromStats(stats, { ...(settings.options as object), latentDim: settings.latentDim }, { seed, signal: ctx.signal });
    try {
      const trainMse = reconstructionMseOfStats(model, stats);
      const ratio = model.explainedVarianceRatio;
      const metrics: FitMetrics = {
        reducer: model.kind,
        latentDim: model.latentDim,
        data: `statistics:${statsPath}`,
        seed,
        capabilities: [...model.capabilities],
        ...(pcaPlugin.package ? { plugin: { name: pcaPlugin.package.name, version: pcaPlugin.package.version } } : {}),
        reconstruction: { available: true },
        train: { n: stats.n, mse: trainMse },
        test: { n: 0 },
        fitSeconds: result.seconds,
        parameters: model.parameterCount,
        explainedVarianceRatio: ratio,
        options: settings.options as Record<string, unknown>,
      };
      const bundle = await registry.save(model);
      await writeBundleFiles(staged.path, withMetrics(bundle, { data: metrics.data, trainMse, fitSeconds: result.seconds, inputShape: model.inputShape }));
      await writeFileAtomic(join(staged.path, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
      await staged.commit();
      ctx.print(`${formatMetrics(metrics)}\n  train MSE  ${trainMse.toFixed(6)} (n=${stats.n}, from the statistics)\nsaved to ${flags.out}`, metrics);
    } finally {
      model.dispose();
    }
  } catch (e) {
    await staged.abort();
    throw e;
  }
}
