import { join, resolve } from 'node:path';
import { LatentkitError, sliceRows, varianceExplained, type Matrix, type Reducer, type ReducerRegistry } from '@latentkit/core';
import { stageDir, writeFileAtomic } from '@latentkit/node-fs';
import { fitAndSave, writeRunFolder, type FitAndSaveResult, type FitMetrics, type RunModelAnalysis, type RunModelInput } from '@latentkit/run/node';
import { imageGridPng, latentScatterSvg, project2d, type GridRow } from '@latentkit/viz';
import { displayName, inputFiles, loadData, type CommandContext, type LoadedData } from '../context.js';
import { checkDataSpec, parseSeed } from '../flags.js';
import { assertOptionsUsed, parseLatent, rawOptions, reducerOptions } from '../reducer-options.js';
import { MISSING, table } from '../format.js';
import type { FitFlags } from './fit.js';

export interface CompareRow {
  readonly reducer: string;
  readonly latentDim: number;
  readonly capabilities: readonly string[];
  /** Reconstruction figures: absent for a reducer that cannot reconstruct. */
  readonly testMse?: number;
  readonly varianceExplained?: number;
  readonly fitSeconds: number;
  readonly parameters: number;
}

export interface CompareResult {
  readonly rows: CompareRow[];
  readonly metrics: FitMetrics[];
  /** Originals, then the reconstructions of each reducer that reconstructs. */
  readonly grid: GridRow[];
  /** The fitted reducers, in `kinds` order; the caller disposes them. */
  readonly reducers: Reducer[];
  /** What each fit already computed for the run writer (codes, test reconstruction), in `kinds` order. */
  readonly computed: FittedOutputs[];
}

/** What a fit computed that the run writer would otherwise compute again. */
export interface FittedOutputs {
  readonly testMse?: number;
  /** Codes of the training rows: the fit's embedding (e.g. UMAP's layout), else the evaluation's f(train). */
  readonly trainCodes?: Matrix;
  readonly testCodes?: Matrix;
  readonly testReconstruction?: Matrix;
}

/** The outputs of fitAndSave the run writer reuses. */
export function fittedOutputs(fitted: FitAndSaveResult): FittedOutputs {
  const trainCodes = fitted.embedding ?? fitted.codes?.train;
  return {
    ...(fitted.metrics.test.mse !== undefined ? { testMse: fitted.metrics.test.mse } : {}),
    ...(trainCodes ? { trainCodes } : {}),
    ...(fitted.codes ? { testCodes: fitted.codes.test } : {}),
    ...(fitted.testReconstruction ? { testReconstruction: fitted.testReconstruction } : {}),
  };
}

/**
 * Fits each reducer on the same split into `dir/<reducer>`, and returns the table rows and the figure rows.
 * Every reducer gets a row; reconstruction figures only where the reducer encodes and decodes.
 */
export async function compareInto(
  ctx: CommandContext,
  dir: string,
  job: { kinds: readonly string[]; latentDim: number; data: LoadedData; seed: number; options: (kind: string) => Record<string, unknown>; nImages?: number },
): Promise<CompareResult> {
  const registry = await ctx.registry();
  const nImages = job.nImages ?? 12;
  const grid: GridRow[] = [{ label: 'X', images: sliceRows(job.data.test.x, 0, nImages) }];
  const rows: CompareRow[] = [];
  const metrics: FitMetrics[] = [];
  const reducers: Reducer[] = [];
  const computed: FittedOutputs[] = [];
  try {
    for (const kind of job.kinds) {
      const fitted = await fitAndSave({
        workers: ctx.workers,
        registry,
        kind,
        latentDim: job.latentDim,
        options: job.options(kind),
        data: job.data,
        seed: job.seed,
        outDir: join(dir, kind),
        signal: ctx.signal,
        onProgress: ctx.progress.listener(`fit ${kind} d=${job.latentDim}`),
      });
      const { metrics: m, reducer, testReconstruction } = fitted;
      reducers.push(reducer);
      computed.push(fittedOutputs(fitted));
      rows.push({
        reducer: kind,
        latentDim: m.latentDim,
        capabilities: m.capabilities,
        ...(testReconstruction ? { testMse: m.test.mse, varianceExplained: varianceExplained(job.data.test.x, testReconstruction) } : {}),
        fitSeconds: m.fitSeconds,
        parameters: m.parameters,
      });
      metrics.push(m);
      if (testReconstruction) grid.push({ label: `g∘f(X) (${displayName(registry, kind)}, d=${m.latentDim})`, images: sliceRows(testReconstruction, 0, nImages) });
    }
  } catch (e) {
    for (const r of reducers) r.dispose();
    throw e;
  }
  return { rows, metrics, grid, reducers, computed };
}

export function compareTable(rows: readonly CompareRow[]): string {
  return table(
    ['reducer', 'd', 'test MSE', 'var. explained', 'fit s', 'parameters'],
    rows.map((r) => [r.reducer, r.latentDim, r.testMse ?? MISSING, r.varianceExplained ?? MISSING, r.fitSeconds, r.parameters]),
  );
}

/** What the run writer needs for one fitted model of the registry. */
export function runModel(registry: ReducerRegistry, dir: string, reducer: Reducer, computed: FittedOutputs = {}): RunModelInput {
  const plugin = registry.get(reducer.kind);
  return {
    dir,
    displayName: displayName(registry, reducer.kind),
    reducer,
    ...(plugin.package ? { plugin: plugin.package } : {}),
    ...computed,
  };
}

/** Latent scatter SVGs (test codes on their first two principal axes) of every model that has codes. */
export function scatterSvgs(analyses: readonly RunModelAnalysis[], data: LoadedData): { dir: string; name: string; svg: string; caption: string }[] {
  const test = data.test;
  return analyses.flatMap((a) => {
    if (!a.testCodes) return [];
    const name = `${a.displayName}, d=${a.reducer.latentDim}`;
    const proj = project2d(a.testCodes);
    const svg = latentScatterSvg({ points: proj.points, ...(test.labels ? { labels: test.labels } : {}), ...(test.labelNames ? { labelNames: test.labelNames } : {}), title: `Latent space: ${name}` });
    return [{ dir: a.dir, name, svg, caption: `${name}: test codes${proj.axes === 'pca' ? ' on their first two principal axes' : ''}` }];
  });
}

/** Validates every reducer's settings (names, options, d) before any data is read or anything is fitted. */
export async function validateAll(registry: ReducerRegistry, kinds: readonly string[], latentDim: number, options: (kind: string) => Record<string, unknown>): Promise<void> {
  for (const kind of kinds) await registry.settings(kind, latentDim, options(kind));
}

export function parseKinds(list: string, flag = '--reducers'): string[] {
  const kinds = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (kinds.length === 0) throw new LatentkitError('E_OPTION', `${flag} expects a comma-separated list, e.g. pca,dense-ae,conv-ae`);
  const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
  // Each reducer's model goes to a folder named after it: a kind listed twice would write one folder twice.
  if (twice) throw new LatentkitError('E_OPTION', `${flag} lists reducer "${twice}" twice (each reducer may appear once)`);
  return kinds;
}

export async function runCompare(ctx: CommandContext, flags: FitFlags & { reducers: string }): Promise<void> {
  // Every flag is checked before the data is read or anything is fitted.
  const kinds = parseKinds(flags.reducers);
  const seed = parseSeed(flags.seed);
  const dataSpec = checkDataSpec(flags.data);
  const latentDim = parseLatent(flags.latent);
  const registry = await ctx.registry();
  const plugins = kinds.map((k) => registry.get(k)); // unknown names fail before any work
  // A flag applies to the reducers that have that option (--epochs to the iterative ones).
  const raw = rawOptions(flags as unknown as Record<string, unknown>, flags.opt);
  assertOptionsUsed(plugins, raw);
  const options = (kind: string) => reducerOptions(registry.get(kind), raw, { strict: false });
  await validateAll(registry, kinds, latentDim, options);
  const out = resolve(ctx.cwd, flags.out);
  const staged = await stageDir(out, { force: flags.force, protect: await inputFiles(ctx, dataSpec) });
  try {
    const data = await loadData(ctx, dataSpec, seed);
    const result = await compareInto(ctx, staged.path, { kinds, latentDim, data, seed, options });
    let analyses: RunModelAnalysis[];
    try {
      // What `latentkit view` needs: points, codes, densities and run.json next to the fitted models.
      const models = result.reducers.map((reducer, i) => runModel(registry, kinds[i]!, reducer, result.computed[i]));
      ({ analyses } = await writeRunFolder(staged.path, { data, seed, models }, { listener: (l) => ctx.progress.listener(l), signal: ctx.signal }));
    } finally {
      for (const r of result.reducers) r.dispose();
    }
    ctx.progress.stop();
    const written = ['compare.json'];
    const imageShape = data.test.imageShape;
    if (imageShape && result.grid.length > 1) {
      await writeFileAtomic(join(staged.path, 'compare.png'), imageGridPng(result.grid, { imageShape: [...imageShape] as [number, number, number] }));
      written.push('compare.png');
    }
    for (const s of scatterSvgs(analyses, data)) {
      await writeFileAtomic(join(staged.path, `latent-${s.dir}.svg`), s.svg);
      written.push(`latent-${s.dir}.svg`);
    }
    const json = { data: data.spec, seed, rows: result.rows };
    await writeFileAtomic(join(staged.path, 'compare.json'), JSON.stringify(json, null, 2) + '\n');
    await staged.commit();
    const note = result.metrics.map((m) => (m.reconstruction.available ? '' : `\n${m.reconstruction.reason}: no reconstruction figures`)).join('');
    ctx.print(`${compareTable(result.rows)}${note}\nwrote ${flags.out}/: ${written.join(', ')}`, json);
  } catch (e) {
    await staged.abort();
    throw e;
  }
}
