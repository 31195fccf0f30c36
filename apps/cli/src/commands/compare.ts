import { join, resolve } from 'node:path';
import { LatentkitError, sliceRows, varianceExplained, type Reducer } from '@latentkit/core';
import { stageDir, writeFileAtomic } from '@latentkit/node-fs';
import { imageGridPng, type GridRow } from '@latentkit/viz';
import { displayName, loadData, type CommandContext, type LoadedData } from '../context.js';
import { writeRunFolder } from '../run-writer.js';
import { fitAndSave, type FitMetrics } from '../fit-pipeline.js';
import { parseLatent, reducerOptionsFromFlags } from '../reducer-options.js';
import { table } from '../format.js';
import type { FitFlags } from './fit.js';

export interface CompareRow {
  readonly reducer: string;
  readonly latentDim: number;
  readonly testMse: number;
  readonly varianceExplained: number;
  readonly fitSeconds: number;
  readonly parameters: number;
}

export interface CompareResult {
  readonly rows: CompareRow[];
  readonly metrics: FitMetrics[];
  readonly grid: GridRow[];
  /** The fitted reducers, in `kinds` order; the caller disposes them. */
  readonly reducers: Reducer[];
}

/**
 * Fits each reducer on the same split into `dir/<reducer>`, and returns the table rows and the figure rows
 * (originals, then each reducer's reconstructions of the same test images).
 */
export async function compareInto(
  ctx: CommandContext,
  dir: string,
  job: { kinds: readonly string[]; latentDim: number; data: LoadedData; seed: number; options: (kind: string) => Record<string, unknown>; nImages?: number },
): Promise<CompareResult> {
  const registry = await ctx.registry();
  const nImages = job.nImages ?? 12;
  const originals = sliceRows(job.data.test.x, 0, nImages);
  const grid: GridRow[] = [{ label: 'X', images: originals }];
  const rows: CompareRow[] = [];
  const metrics: FitMetrics[] = [];
  const reducers: Reducer[] = [];
  try {
    for (const kind of job.kinds) {
      const { metrics: m, reducer, testReconstruction: xHatTest } = await fitAndSave({
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
      reducers.push(reducer);
      rows.push({
        reducer: kind,
        latentDim: m.latentDim,
        testMse: m.test.mse,
        varianceExplained: varianceExplained(job.data.test.x, xHatTest),
        fitSeconds: m.fitSeconds,
        parameters: m.parameters,
      });
      metrics.push(m);
      grid.push({ label: `g∘f(X) (${displayName(registry, kind)}, d=${m.latentDim})`, images: sliceRows(xHatTest, 0, nImages) });
    }
  } catch (e) {
    for (const r of reducers) r.dispose();
    throw e;
  }
  return { rows, metrics, grid, reducers };
}

export function compareTable(rows: readonly CompareRow[]): string {
  return table(
    ['reducer', 'd', 'test MSE', 'var. explained', 'fit s', 'parameters'],
    rows.map((r) => [r.reducer, r.latentDim, r.testMse, r.varianceExplained, r.fitSeconds, r.parameters]),
  );
}

/** Adds what `latentkit view` needs (points, codes, densities, run.json) to a folder of fitted models. */
async function writeViewableRun(ctx: CommandContext, dir: string, data: LoadedData, seed: number, result: CompareResult): Promise<void> {
  const registry = await ctx.registry();
  const models = result.rows.map((r, i) => ({ dir: r.reducer, kind: r.reducer, displayName: displayName(registry, r.reducer), reducer: result.reducers[i]!, testMse: r.testMse }));
  await writeRunFolder(dir, { data, seed, models }, ctx.progress, ctx.signal);
}

export async function runCompare(ctx: CommandContext, flags: FitFlags & { reducers: string }): Promise<void> {
  const kinds = flags.reducers.split(',').map((s) => s.trim()).filter(Boolean);
  if (kinds.length === 0) throw new LatentkitError('E_OPTION', '--reducers expects a comma-separated list, e.g. pca,dense-ae,conv-ae');
  const registry = await ctx.registry();
  for (const k of kinds) registry.get(k); // unknown names fail before any work
  const latentDim = parseLatent(flags.latent);
  const seed = Number(flags.seed);
  const out = resolve(ctx.cwd, flags.out);
  const staged = await stageDir(out, { force: flags.force });
  try {
    const data = await loadData(ctx, flags.data, seed);
    // A flag applies to the reducers that have that option (--epochs to the autoencoders, not PCA).
    const options = (kind: string) => reducerOptionsFromFlags(registry.get(kind), flags as unknown as Record<string, unknown>, flags.opt, { strict: false });
    const result = await compareInto(ctx, staged.path, { kinds, latentDim, data, seed, options });
    try {
      await writeViewableRun(ctx, staged.path, data, seed, result);
    } finally {
      for (const r of result.reducers) r.dispose();
    }
    ctx.progress.stop();
    const imageShape = data.test.imageShape;
    if (imageShape) await writeFileAtomic(join(staged.path, 'compare.png'), imageGridPng(result.grid, { imageShape: [...imageShape] as [number, number, number] }));
    const json = { data: data.spec, seed, rows: result.rows };
    await writeFileAtomic(join(staged.path, 'compare.json'), JSON.stringify(json, null, 2) + '\n');
    await staged.commit();
    ctx.print(`${compareTable(result.rows)}\nwrote ${flags.out}/compare.json${imageShape ? ' and compare.png' : ''}`, json);
  } catch (e) {
    await staged.abort();
    throw e;
  }
}
