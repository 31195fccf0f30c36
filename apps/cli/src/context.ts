import { parseIntFlag } from './flags.js';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { LatentkitError, requireCapability, type Capability, type Dataset, type Reducer, type ReducerRegistry } from '@latentkit/core';
import { formatTableSpec, parseTableSpec } from '@latentkit/data';
import { dataSourceFiles, loadDataSource } from '@latentkit/data/node';
import { readBundleDir } from '@latentkit/node-fs';
import type { FitData } from '@latentkit/run/node';
import { buildRegistry } from './plugins.js';
import { checkDataSpec, parseColumnFlags, parseOptionalSeed, withColumnFlags, type ColumnFlags } from './flags.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';
import { assertFolder, readRunFacts } from './run-facts.js';
import { assertFiniteWeights } from './weights-check.js';

export { readRunFacts, type RunFacts } from './run-facts.js';

/** Flags every command shares. */
export interface GlobalFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly debug?: boolean;
  readonly plugin?: string[];
  readonly dataDir?: string;
  readonly workers?: string;
}

export interface CommandContext {
  readonly cwd: string;
  readonly flags: GlobalFlags;
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal;
  registry(): Promise<ReducerRegistry>;
  /** --workers, checked: threads a fit may train on (FitOptions.workers). */
  readonly workers: number;
  /** Writes the command's result: JSON with --json, else the human text. */
  print(human: string, json: unknown): void;
}

/** Threads a fit trains on unless --workers says otherwise: the machine's cores, at most 8. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

export function createContext(flags: GlobalFlags, signal: AbortSignal, cwd = process.cwd()): CommandContext {
  let registry: Promise<ReducerRegistry> | undefined;
  // Default: every core (tfjs-wasm runs one thread, so a second core is only reached through workers).
  const workers = parseIntFlag('--workers', flags.workers ?? String(defaultWorkers()), 1, 64);
  return {
    cwd,
    flags,
    workers,
    signal,
    progress: createProgressReporter({ enabled: !flags.json && !flags.quiet }),
    registry: () => (registry ??= buildRegistry(cwd, flags.plugin ?? [])),
    print(human, json) {
      process.stdout.write(flags.json ? JSON.stringify(json, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
    },
  };
}

/** A train/test split and the spec it came from (the run package's FitData). */
export type LoadedData = FitData;

/** The files a data source reads (resolved against the working folder): what an output folder must never replace. */
export function inputFiles(ctx: CommandContext, spec: string): Promise<string[]> {
  return dataSourceFiles(resolveSpec(ctx, spec), ctx.flags.dataDir ? { dataDir: resolve(ctx.cwd, ctx.flags.dataDir) } : {});
}

/**
 * A file source's path made absolute against the command's working folder ("csv:x.csv" → "csv:/cwd/x.csv",
 * "parquet[columns=v]:x.parquet" → "parquet[columns=v]:/cwd/x.parquet"); other specs unchanged.
 */
export function resolveDataSpec(ctx: Pick<CommandContext, 'cwd'>, spec: string): string {
  return resolveSpec(ctx, spec);
}

function resolveSpec(ctx: Pick<CommandContext, 'cwd'>, spec: string): string {
  const table = parseTableSpec(spec);
  if (table) return formatTableSpec(table.format, resolve(ctx.cwd, table.path), table.options);
  const m = /^(idx|npy|csv):(.+)$/i.exec(spec.trim());
  return m ? `${m[1]}:${resolve(ctx.cwd, m[2]!)}` : spec;
}

export async function loadData(ctx: CommandContext, spec: string, seed: number): Promise<LoadedData> {
  ctx.progress.note(`loading ${spec} …`);
  const { train, test } = await loadDataSource(spec, { seed, ...(ctx.flags.dataDir ? { dataDir: ctx.flags.dataDir } : {}) });
  return { spec, train, test };
}

/** Loads a model folder; weights that are NaN or ±Inf are refused naming their file. */
export async function loadReducer(ctx: CommandContext, dir: string): Promise<Reducer> {
  const bundle = await readBundleDir(dir);
  assertFiniteWeights(bundle, dir);
  return (await ctx.registry()).load(bundle);
}

/** Refuses data whose sample size differs from the model's input, naming both. */
export function assertDataFitsModel(reducer: Reducer, data: Dataset, dir: string): void {
  if (reducer.inputDim > 0 && reducer.inputDim !== data.x.cols) {
    const shape = reducer.inputShape.length > 1 ? ` (${reducer.inputShape.join('×')})` : '';
    throw new LatentkitError('E_SHAPE', `${data.name} has ${data.x.cols} features per sample, but the model in ${dir} expects ${reducer.inputDim}${shape}`);
  }
}

export function displayName(registry: ReducerRegistry, kind: string): string {
  return registry.has(kind) ? (registry.get(kind).displayName ?? kind) : kind;
}

export interface DataFlags extends ColumnFlags {
  data?: string;
  seed?: string;
}

/**
 * --data and --seed of a command on a saved model, checked before anything is read; the column flags are
 * folded into --data's table spec (without --data they apply to the model's recorded source, in modelAndData).
 */
export function checkDataFlags(flags: DataFlags): { data?: string; seed?: number } {
  const seed = parseOptionalSeed(flags.seed);
  parseColumnFlags(flags);
  return { ...(flags.data !== undefined ? { data: withColumnFlags(checkDataSpec(flags.data), flags) } : {}), ...(seed !== undefined ? { seed } : {}) };
}

/** What a command needs of a model: the capabilities, and what for (named in the E_UNSUPPORTED line). */
export interface ModelNeeds {
  readonly capabilities: readonly Capability[];
  readonly for: string;
}

/**
 * Loads a model folder and the data it was fitted on (or --data), checking they fit together. A model
 * lacking a capability the command needs is refused (one E_UNSUPPORTED line) before any data is read.
 */
export async function modelAndData(ctx: CommandContext, dir: string, flags: DataFlags, needs?: ModelNeeds): Promise<{ reducer: Reducer; data: LoadedData; seed: number }> {
  const given = checkDataFlags(flags);
  await assertFolder(dir);
  const facts = await readRunFacts(dir);
  const reducer = await loadReducer(ctx, dir);
  try {
    for (const c of needs?.capabilities ?? []) requireCapability(reducer, c, needs!.for);
    const seed = given.seed ?? facts.seed ?? 0;
    const data = await loadData(ctx, given.data ?? withColumnFlags(facts.data ?? 'mnist', flags), seed);
    assertDataFitsModel(reducer, data.test, dir);
    return { reducer, data, seed };
  } catch (e) {
    reducer.dispose();
    throw e;
  }
}
