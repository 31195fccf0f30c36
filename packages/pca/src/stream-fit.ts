import type { FitOptions, FitOutcome, ReducerSettings, RowBatchSource } from '@latentkit/core';
import { getCovarianceEngine } from './covariance-engine.js';
import type { FittedPca, PcaFitOptions } from './fit-pca.js';
import { chooseSolver, resolvePowerIterations, type PcaSettings } from './options.js';
import type { PcaStats } from './pca-stats.js';
import { accumulatePcaStats, accumulatePcaStatsPair } from './stats-accumulate.js';
import { reconstructionMseOfStats } from './stats-mse.js';
import { checkAgainstShape, checkStreamSettings, modelOfSolution, solveFromStats, type StreamSolution } from './stats-solve.js';
import { planStreamPca, streamBudget } from './stream-plan.js';
import { randomizedPasses } from './stream-randomized.js';
import type { SolveControl } from './spectrum.js';

/**
 * Fits PCA from row batches without holding the rows: memory is planned from D before anything is
 * allocated, then either one pass summing the sufficient statistics (n, Σx, XᵀX) and an eigensolve of the
 * covariance, or — when a D×D matrix does not fit — randomized range finding in powerIterations + 2 passes.
 * Same seed and rows: the same model as fitPca up to component signs (chosen here by scikit-learn's
 * v-based rule, since no rows are kept to score) and rounding.
 */
export async function fitPcaStream(source: RowBatchSource, settings: PcaSettings, fitOptions: PcaFitOptions & StreamFitOptions = {}): Promise<FittedPca & StreamEvaluation> {
  const started = performance.now();
  const s = await checkStreamSettings(settings);
  const budget = streamBudget(fitOptions.maxBytes);
  const D = source.cols;
  // Before any read: what the header tells (rows may be unknown until the first pass).
  checkAgainstShape(s, source.rows ?? Math.max(2, s.latentDim), D);
  const k = s.fraction === undefined ? s.latentDim : 1;
  const rowsForRule = source.rows ?? Number.MAX_SAFE_INTEGER;
  const preferred = s.fraction === undefined ? chooseSolver(s.options.solver, k, rowsForRule, D) : 'exact';
  const width = Math.min(k + s.options.oversamples, D);
  const engine = getCovarianceEngine();
  const plan = planStreamPca({ D, k, width, solver: s.options.solver, preferred, fraction: s.fraction !== undefined, engine, budget, heldOut: fitOptions.heldOut !== undefined });
  const seed = fitOptions.seed ?? 0;
  const control: SolveControl = { signal: fitOptions.signal, report: (phase, f, message) => fitOptions.onProgress?.({ phase, fraction: f, ...(message ? { message } : {}) }) };
  let solution: StreamSolution;
  let stats: PcaStats | undefined;
  let held: PcaStats | undefined;
  if (plan.method === 'statistics') {
    control.report?.('statistics', 0);
    const accumulate = { ...control, engine, maxInFlight: plan.inFlight };
    // The held-out rows' statistics in the same pass (one read where the two share a file).
    if (fitOptions.heldOut) [stats, held] = await accumulatePcaStatsPair(source, fitOptions.heldOut, accumulate);
    else stats = await accumulatePcaStats(source, accumulate);
    solution = await solveFromStats(stats, s, budget, seed, fitOptions.signal);
  } else {
    const powerIterations = resolvePowerIterations(s.options.powerIterations, k, rowsForRule, D);
    const found = await randomizedPasses(source, k, { width, powerIterations, seed }, control);
    checkAgainstShape(s, found.n, D);
    solution = { ...found, solver: 'randomized', method: 'passes', plannedBytes: plan.bytes };
  }
  fitOptions.onProgress?.({ phase: 'eigensolve', fraction: 1, message: solution.solver });
  const inputShape = source.imageShape ? [...source.imageShape] : [D];
  const fitted = modelOfSolution(solution, s, inputShape, fitOptions.seed ?? null, (performance.now() - started) / 1000);
  if (!stats) return fitted;
  // With the statistics at hand, reconstruction MSE costs no reconstruction: the training rows' from their
  // statistics, the held-out rows' from theirs (summed alongside: D² work per held-out row, no D·k·2).
  const train = { n: stats.n, mse: reconstructionMseOfStats(fitted.model, stats) };
  if (!held) return { ...fitted, reconstruction: { train } };
  return { ...fitted, reconstruction: { train, test: { n: held.n, mse: reconstructionMseOfStats(fitted.model, held) } } };
}

/** A stream fit's options: a fit's, plus held-out rows whose reconstruction MSE the plugin may report. */
export interface StreamFitOptions extends FitOptions {
  readonly heldOut?: RowBatchSource;
}

/** Reconstruction MSE a stream fit measured itself (cheaper than reconstructing every row), where it could. */
export interface StreamEvaluation {
  readonly reconstruction?: {
    readonly train: { readonly n: number; readonly mse: number };
    readonly test?: { readonly n: number; readonly mse: number };
  };
}

/**
 * PCA's side of core's "fit-stream" capability (`ReducerPlugin.fitStream`, which is the contract apps use
 * through `registry.fitStream`); kept as a named type for callers of fitPcaStream.
 */
export interface StreamFitting<Options = unknown> {
  fitStream(source: RowBatchSource, settings: ReducerSettings<Options>, options?: StreamFitOptions): Promise<FitOutcome & StreamEvaluation>;
}
