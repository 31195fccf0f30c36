import { type FitOptions, LatentkitError, type Matrix, throwIfAborted } from '@latentkit/core';
import { covariance } from './covariance.js';
import { checkComponentCount, chooseSolver, componentsForFraction, type PcaOptions, resolvePowerIterations } from './options.js';
import { randomizedEigen } from './randomized-eigen.js';
import { flipSignsByComponents, flipSignsByScores } from './sign-flip.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface PcaSolution {
  readonly solver: 'exact' | 'randomized';
  readonly k: number;
  readonly mean: Float64Array;
  /** k×D, orthonormal rows, sign-normalised. */
  readonly components: Float64Array;
  readonly explainedVariance: Float64Array;
  readonly totalVariance: number;
  /** Mean variance of the discarded directions (probabilistic PCA's σ²), 0 when none are discarded. */
  readonly noiseVariance: number;
}

/** Solves PCA on the rows of x: covariance once, then an exact or randomized eigensolve on it. */
export async function solvePca(x: Matrix, latentDim: number, options: PcaOptions, fit: FitOptions = {}): Promise<PcaSolution> {
  const { rows: n, cols: D } = x;
  const maxK = Math.min(n, D);
  const fraction = latentDim < 1 ? latentDim : undefined;
  if (fraction === undefined) checkComponentCount(latentDim, n, D);
  else if (D < 2) throw new LatentkitError('E_OPTION', `reducer "pca": input dimension ${D} cannot be reduced`);
  // A variance fraction may pick at most D − 1 components, like a count: a reducer must reduce.
  const fractionLimit = Math.min(maxK, D - 1);
  const solver = chooseSolver(options.solver, fraction === undefined ? latentDim : undefined, n, D);
  if (fraction !== undefined && solver === 'randomized') {
    throw new LatentkitError('E_OPTION', `reducer "pca": latentDim ${latentDim} is a variance fraction, which needs the exact solver (solver is "randomized")`);
  }
  const report = fit.onProgress;
  report?.({ phase: 'covariance', fraction: 0 });
  const cov = await covariance(x, { signal: fit.signal, onProgress: (f) => report?.({ phase: 'covariance', fraction: f }) });
  let totalVariance = 0;
  for (let j = 0; j < D; j++) totalVariance += cov.covariance[j * D + j]!;
  throwIfAborted(fit.signal, 'PCA fit');
  report?.({ phase: 'eigensolve', fraction: 0, message: solver });
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfAborted(fit.signal, 'PCA fit');

  let k: number;
  let values: Float64Array;
  let vectors: Float64Array;
  if (solver === 'exact') {
    // The fraction rule needs the whole spectrum; eigenvectors are then found for the chosen k only.
    let chosen = latentDim;
    const eig = symmetricEigen(cov.covariance, D, (all) =>
      fraction === undefined ? latentDim : (chosen = componentsForFraction(clampNonNegative(all.slice()), totalVariance, fraction, fractionLimit)),
    );
    k = chosen;
    values = eig.values;
    vectors = eig.vectors;
  } else {
    k = latentDim;
    const powerIterations = resolvePowerIterations(options.powerIterations, k, n, D);
    const eig = randomizedEigen(cov.covariance, D, { count: k, oversamples: options.oversamples, powerIterations, seed: fit.seed ?? 0 });
    values = eig.values;
    vectors = eig.vectors;
  }
  const explainedVariance = clampNonNegative(values.slice(0, k));
  if (solver === 'randomized' && n < D) flipSignsByComponents(vectors, k, D);
  else flipSignsByScores(x, cov.mean, vectors, k);
  let kept = 0;
  for (let c = 0; c < k; c++) kept += explainedVariance[c]!;
  const noiseVariance = k < maxK ? Math.max(0, totalVariance - kept) / (maxK - k) : 0;
  report?.({ phase: 'eigensolve', fraction: 1, message: solver });
  return { solver, k, mean: cov.mean, components: vectors, explainedVariance, totalVariance, noiseVariance };
}

/** Rounding can leave tiny negative eigenvalues of a PSD matrix; variances are never negative. */
function clampNonNegative(v: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) v[i] = 0;
  return v;
}
