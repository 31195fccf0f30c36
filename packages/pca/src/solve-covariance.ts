import { type Matrix, throwIfAborted } from '@latentkit/core';
import { covariance, covarianceOfScanned } from './covariance.js';
import type { CovarianceEngine } from './covariance-engine.js';
import type { DataScan } from './quantized.js';
import { randomizedEigen } from './randomized-eigen.js';
import { type ComponentCount, type PcaSpectrum, type RandomizedSettings, type SolveControl, yieldTurn } from './spectrum.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface CovarianceSolve {
  readonly engine: CovarianceEngine;
  /** Chunks the covariance pass may keep in flight (the memory plan's figure). */
  readonly inFlight: number;
  /** Undefined: exact eigensolve; else the randomized solver's settings. */
  readonly randomized?: RandomizedSettings | undefined;
  /** The fit's scan of the data, when it made one (else the pass detects the byte scale itself). */
  readonly scan?: DataScan | undefined;
}

/**
 * PCA from the D×D covariance: one pass over the data, then an exact eigensolve (the whole spectrum, the
 * leading eigenvectors) or a randomized one on it. Best when there are more samples than features.
 */
export async function solveByCovariance(x: Matrix, count: ComponentCount, how: CovarianceSolve, control: SolveControl = {}): Promise<PcaSpectrum> {
  const D = x.cols;
  control.report?.('covariance', 0);
  const passOptions = { signal: control.signal, engine: how.engine, maxInFlight: how.inFlight, onProgress: (f: number) => control.report?.('covariance', f) };
  const cov = await (how.scan ? covarianceOfScanned(x, how.scan, passOptions) : covariance(x, passOptions));
  let totalVariance = 0;
  for (let j = 0; j < D; j++) totalVariance += cov.covariance[j * D + j]!;
  throwIfAborted(control.signal, 'PCA fit');
  const solver = how.randomized ? 'randomized' : 'exact';
  control.report?.('eigensolve', 0, solver);
  await yieldTurn();
  throwIfAborted(control.signal, 'PCA fit');
  if (how.randomized) {
    const k = count as number;
    const { width, powerIterations, seed } = how.randomized;
    const eig = randomizedEigen(cov.covariance, D, { count: k, oversamples: width - k, powerIterations, seed });
    return { k, mean: cov.mean, variances: eig.values, components: eig.vectors, totalVariance };
  }
  let k = 0;
  const eig = symmetricEigen(cov.covariance, D, (all) => (k = typeof count === 'number' ? count : count(all, totalVariance)));
  return { k, mean: cov.mean, variances: eig.values.slice(0, k), components: eig.vectors, totalVariance };
}
