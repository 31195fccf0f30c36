import {
  type Dataset,
  type FitOptions,
  type FitResult,
  inputShapeOf,
  LatentkitError,
  type MemoryBudget,
  memoryBudget,
  validateDataset,
  validateOptions,
} from '@latentkit/core';
import { solvePca } from './fit.js';
import { MAX_BYTES_OPTION_SOURCE } from './memory-plan.js';
import { checkLatentDim, pcaOptions, type PcaSettings } from './options.js';
import { PCA_PACKAGE } from './package-info.js';
import { Pca } from './pca.js';
import { probeData } from './quantized.js';

/** A fitted PCA and what its fit reported (solver, component count, explained variance). */
export interface FittedPca {
  readonly model: Pca;
  readonly result: FitResult;
}

/** A fit's options, plus the memory it may plan to use. */
export interface PcaFitOptions extends FitOptions {
  /**
   * The most bytes the fit may plan to hold beyond the data (default: LATENTKIT_MAX_DATA_BYTES, else half
   * of the machine's memory). A fit that cannot be solved within it is refused before it allocates.
   */
  readonly maxBytes?: number;
}

/**
 * Fits PCA on a dataset's rows. Settings are checked before any work: latentDim (a count below the input
 * dimension, or a variance fraction) and the options against `pcaOptions`; each problem is one E_OPTION line.
 * Memory is planned before it is allocated: the solver's method is chosen to fit `maxBytes`.
 */
export async function fitPca(data: Dataset, settings: PcaSettings, fitOptions: PcaFitOptions = {}): Promise<FittedPca> {
  const started = performance.now();
  const { latentDim, ...given } = settings;
  const requestedLatentDim = checkLatentDim(latentDim);
  const options = await validateOptions('pca', pcaOptions, given);
  const budget = resolveBudget(fitOptions.maxBytes);
  validateDataset(data);
  // One read of the data checks it is finite and finds its byte scale for the covariance pass (which reads
  // 8-bit data only once: its first values here, the rest as it sums them).
  const scan = probeData(data.x, `dataset "${data.name}"`);
  if (data.x.rows < 2) throw new LatentkitError('E_EMPTY', `dataset "${data.name}" needs at least 2 samples for PCA, got ${data.x.rows}`);
  const solution = await solvePca(data.x, requestedLatentDim, options, budget, fitOptions, undefined, scan);
  const model = new Pca({
    mean: Float32Array.from(solution.mean),
    components: Float32Array.from(solution.components),
    explainedVariance: Float32Array.from(solution.explainedVariance),
    k: solution.k,
    D: data.x.cols,
    totalVariance: solution.totalVariance,
    noiseVariance: solution.noiseVariance,
    inputShape: inputShapeOf(data),
    solver: solution.solver,
    seed: fitOptions.seed ?? null,
    options,
    requestedLatentDim,
    package: PCA_PACKAGE,
  });
  const ratio = model.explainedVarianceRatio;
  const result: FitResult = {
    seconds: (performance.now() - started) / 1000,
    info: {
      solver: solution.solver,
      method: solution.method,
      plannedBytes: solution.plannedBytes,
      components: solution.k,
      explainedVarianceRatio: ratio,
      explainedVarianceRatioSum: ratio.reduce((a, b) => a + b, 0),
      noiseVariance: solution.noiseVariance,
    },
  };
  return { model, result };
}

function resolveBudget(maxBytes: unknown): MemoryBudget {
  if (maxBytes === undefined) return memoryBudget();
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new LatentkitError('E_OPTION', `reducer "pca": maxBytes must be a positive whole number of bytes, got ${String(maxBytes)}`);
  }
  return { bytes: maxBytes, source: MAX_BYTES_OPTION_SOURCE };
}
