import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LatentkitError, requireCapability, type Capability, type Dataset, type Reducer, type ReducerRegistry } from '@latentkit/core';
import { loadDataSource } from '@latentkit/data/node';
import { readBundleDir } from '@latentkit/node-fs';
import type { FitData } from '@latentkit/run/node';
import { buildRegistry } from './plugins.js';
import { createProgressReporter, type ProgressReporter } from './progress.js';

/** Flags every command shares. */
export interface GlobalFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly debug?: boolean;
  readonly plugin?: string[];
  readonly dataDir?: string;
}

export interface CommandContext {
  readonly cwd: string;
  readonly flags: GlobalFlags;
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal;
  registry(): Promise<ReducerRegistry>;
  /** Writes the command's result: JSON with --json, else the human text. */
  print(human: string, json: unknown): void;
}

export function createContext(flags: GlobalFlags, signal: AbortSignal, cwd = process.cwd()): CommandContext {
  let registry: Promise<ReducerRegistry> | undefined;
  return {
    cwd,
    flags,
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

export async function loadData(ctx: CommandContext, spec: string, seed: number): Promise<LoadedData> {
  ctx.progress.note(`loading ${spec} …`);
  const { train, test } = await loadDataSource(spec, { seed, ...(ctx.flags.dataDir ? { dataDir: ctx.flags.dataDir } : {}) });
  return { spec, train, test };
}

/** Saved run facts a later command reuses (data source and seed) when the user does not repeat them. */
export interface RunFacts {
  readonly data?: string;
  readonly seed?: number;
  /** Test reconstruction MSE, for models that reconstruct. */
  readonly testMse?: number;
}

export async function readRunFacts(dir: string): Promise<RunFacts> {
  try {
    const m = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as { data?: unknown; seed?: unknown; test?: { mse?: unknown } };
    return {
      ...(typeof m.data === 'string' ? { data: m.data } : {}),
      ...(typeof m.seed === 'number' ? { seed: m.seed } : {}),
      ...(typeof m.test?.mse === 'number' ? { testMse: m.test.mse } : {}),
    };
  } catch {
    return {};
  }
}

export async function loadReducer(ctx: CommandContext, dir: string): Promise<Reducer> {
  const bundle = await readBundleDir(dir);
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

export interface DataFlags {
  data?: string;
  seed?: string;
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
  const facts = await readRunFacts(dir);
  const reducer = await loadReducer(ctx, dir);
  try {
    for (const c of needs?.capabilities ?? []) requireCapability(reducer, c, needs!.for);
    const seed = flags.seed !== undefined ? Number(flags.seed) : (facts.seed ?? 0);
    const data = await loadData(ctx, flags.data ?? facts.data ?? 'mnist', seed);
    assertDataFitsModel(reducer, data.test, dir);
    return { reducer, data, seed };
  } catch (e) {
    reducer.dispose();
    throw e;
  }
}
