import { formatBytes, type FitResult, LatentkitError, type MemoryBudget, throwIfAborted, validateOptions } from '@latentkit/core';
import type { FittedPca, PcaFitOptions } from './fit-pca.js';
import { limitText } from './memory-plan.js';
import { checkComponentCount, checkLatentDim, chooseSolver, componentsForFraction, pcaOptions, type PcaOptions, type PcaSettings, resolvePowerIterations } from './options.js';
import { PCA_PACKAGE } from './package-info.js';
import { Pca } from './pca.js';
import { covarianceOfStats, type PcaStats } from './pca-stats.js';
import { randomizedEigen } from './randomized-eigen.js';
import { flipSignsByComponents } from './sign-flip.js';
import type { PcaSpectrum } from './spectrum.js';
import { statsSolveBytes, streamBudget } from './stream-plan.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** What a fit from statistics (or from passes) found, before it becomes a model. */
export interface StreamSolution extends PcaSpectrum {
  readonly n: number;
  readonly solver: 'exact' | 'randomized';
  readonly method: 'statistics' | 'passes';
  readonly plannedBytes: number;
}

/** Settings checked once for every streamed fit: d, the options, and whether d is a variance fraction. */
export interface CheckedSettings {
  readonly latentDim: number;
  readonly options: PcaOptions;
  readonly fraction: number | undefined;
}

export async function checkStreamSettings(settings: PcaSettings): Promise<CheckedSettings> {
  const { latentDim, ...given } = settings;
  const requested = checkLatentDim(latentDim);
  const options = await validateOptions('pca', pcaOptions, given);
  const fraction = requested < 1 ? requested : undefined;
  if (fraction !== undefined && options.solver === 'randomized') {
    throw new LatentkitError('E_OPTION', `reducer "pca": latentDim ${requested} is a variance fraction, which needs the exact solver (solver is "randomized")`);
  }
  return { latentDim: requested, options, fraction };
}

/** d checked against the data's shape: a count must reduce (k < D, k ≤ n), a fraction needs D ≥ 2. */
export function checkAgainstShape(s: CheckedSettings, n: number, D: number): void {
  if (n < 2) throw new LatentkitError('E_EMPTY', `PCA needs at least 2 rows, got ${n}`);
  if (s.fraction === undefined) checkComponentCount(s.latentDim, n, D);
  else if (D < 2) throw new LatentkitError('E_OPTION', `reducer "pca": input dimension ${D} cannot be reduced`);
}

/**
 * PCA from sufficient statistics: the covariance (XᵀX − Σx·Σxᵀ/n)/(n−1), then the package's exact
 * eigensolver (Householder + QL) or its randomized one, as the options and scikit-learn's rule choose.
 * Component signs follow scikit-learn's v-based rule (the largest-|value| entry positive): the statistics
 * hold no rows to score. The statistics are left unchanged.
 */
export async function solveFromStats(stats: PcaStats, s: CheckedSettings, budget: MemoryBudget, seed: number, signal?: AbortSignal): Promise<StreamSolution> {
  const { n, D } = stats;
  checkAgainstShape(s, n, D);
  const k0 = s.fraction === undefined ? s.latentDim : 1;
  const solver = s.fraction === undefined ? chooseSolver(s.options.solver, s.latentDim, n, D) : 'exact';
  const width = Math.min(k0 + s.options.oversamples, D);
  const bytes = statsSolveBytes(D, k0, solver, width);
  if (bytes > budget.bytes) {
    const { limit, raise } = limitText(budget);
    throw new LatentkitError('E_INPUT_VALUE', `reducer "pca": solving from statistics of ${D} features needs ${formatBytes(bytes)} for a ${D}×${D} covariance, more than ${limit}; ${raise}`);
  }
  throwIfAborted(signal, 'PCA fit');
  const cov = covarianceOfStats(stats);
  const { totalVariance, mean } = cov;
  if (solver === 'randomized') {
    const k = s.latentDim;
    const powerIterations = resolvePowerIterations(s.options.powerIterations, k, n, D);
    const eig = randomizedEigen(cov.covariance, D, { count: k, oversamples: width - k, powerIterations, seed });
    return { n, k, mean, variances: eig.values, components: eig.vectors, totalVariance, solver, method: 'statistics', plannedBytes: bytes };
  }
  let k = 0;
  const limit = Math.min(n, D, D - 1);
  const eig = symmetricEigen(cov.covariance, D, (all) => (k = s.fraction === undefined ? s.latentDim : componentsForFraction(clamp(all.slice()), totalVariance, s.fraction, limit)));
  return { n, k, mean, variances: eig.values.slice(0, k), components: eig.vectors, totalVariance, solver, method: 'statistics', plannedBytes: bytes };
}

/** A fitted model from a solution: signs normalised, variances clamped, σ² of the discarded directions. */
export function modelOfSolution(solution: StreamSolution, s: CheckedSettings, inputShape: readonly number[], seed: number | null, seconds: number): FittedPca {
  const { n, k, components, totalVariance } = solution;
  const D = solution.mean.length;
  flipSignsByComponents(components, k, D);
  const explainedVariance = clamp(solution.variances.slice(0, k));
  let kept = 0;
  for (let c = 0; c < k; c++) kept += explainedVariance[c]!;
  const maxK = Math.min(n, D);
  const noiseVariance = k < maxK ? Math.max(0, totalVariance - kept) / (maxK - k) : 0;
  const model = new Pca({
    mean: Float32Array.from(solution.mean),
    components: Float32Array.from(components.subarray(0, k * D)),
    explainedVariance: Float32Array.from(explainedVariance),
    k,
    D,
    totalVariance,
    noiseVariance,
    inputShape,
    solver: solution.solver,
    seed,
    options: s.options,
    requestedLatentDim: s.latentDim,
    package: PCA_PACKAGE,
  });
  const ratio = model.explainedVarianceRatio;
  const result: FitResult = {
    seconds,
    info: {
      solver: solution.solver,
      method: solution.method,
      plannedBytes: solution.plannedBytes,
      rows: n,
      components: k,
      explainedVarianceRatio: ratio,
      explainedVarianceRatioSum: ratio.reduce((a, b) => a + b, 0),
      noiseVariance,
    },
  };
  return { model, result };
}

/**
 * Fits PCA from sufficient statistics (e.g. merged per-shard statistics): settings are checked first, memory
 * planned before the covariance is allocated. `inputShape` defaults to [D].
 */
export async function fitPcaFromStats(stats: PcaStats, settings: PcaSettings, fitOptions: PcaFitOptions & { inputShape?: readonly number[] } = {}): Promise<FittedPca> {
  const started = performance.now();
  const s = await checkStreamSettings(settings);
  const budget = streamBudget(fitOptions.maxBytes);
  const solution = await solveFromStats(stats, s, budget, fitOptions.seed ?? 0, fitOptions.signal);
  return modelOfSolution(solution, s, fitOptions.inputShape ?? [stats.D], fitOptions.seed ?? null, (performance.now() - started) / 1000);
}

function clamp(v: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) v[i] = 0;
  return v;
}
