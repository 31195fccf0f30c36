import { canReconstruct, concatRows, decodeWith, encodeWith, rowMse, sliceRows, type Matrix, type Reducer } from '@latentkit/core';
import { combinedScores, densityScores, fitGaussian, fitGaussianMixture, type LatentDensity } from '@latentkit/latent';

export interface LatentFit {
  readonly gaussian: LatentDensity;
  readonly gmm: LatentDensity;
}

/**
 * Codes the mixture's k is chosen on. BIC over k = 1..10 with full covariances costs O(n·k·d²) per EM
 * iteration for every k; on 3,000 codes the choice takes seconds, and the winner is then refitted on all.
 */
const SELECTION_ROWS = 3000;

/** Gaussian and BIC-selected mixture densities fitted to the training codes. */
export async function fitLatentDensities(trainCodes: Matrix, seed: number, signal?: AbortSignal, maxComponents = 10): Promise<LatentFit> {
  const gaussian = fitGaussian(trainCodes, { covariance: 'full' });
  // k by BIC over 1..maxComponents: we don't know the right latent density, so let the data choose.
  // k is chosen on a subset, then only the winner is refitted on every code: same choice, far less work.
  const gmm = await fitGaussianMixture(trainCodes, { kRange: [1, maxComponents], seed, covariance: 'full', selectionSampleSize: SELECTION_ROWS, ...(signal ? { signal } : {}) });
  return { gaussian, gmm };
}

/** Codes of each part (train, test) in order, and all of them stacked (the run folder's point order). */
export async function encodeAll(reducer: Reducer, parts: readonly Matrix[]): Promise<{ all: Matrix; parts: Matrix[] }> {
  const encoded: Matrix[] = [];
  for (const p of parts) encoded.push(await encodeWith(reducer, p, 'codes of the run points'));
  return { all: concatRows(encoded), parts: encoded };
}

/** Test-point anomaly scores: density always, reconstruction only for models that decode, combined from what exists. */
export interface ModelScores {
  readonly density: Float64Array;
  readonly reconstruction?: Float64Array;
  /** The standardised scores available, added (density alone for a model that cannot reconstruct). */
  readonly combined: Float64Array;
}

/**
 * Training rows whose reconstruction errors standardise the test's: a mean and a spread need far fewer than a
 * large training set holds, and decoding every training row cost as much as the rest of the analysis.
 */
const STANDARDISE_ROWS = 2000;

/** Reconstruction error of the first `limit` rows (the splits are shuffled, so they are a fair sample). */
async function reconstructionErrors(reducer: Reducer, x: Matrix, codes: Matrix, limit: number): Promise<Float64Array> {
  const n = Math.min(limit, x.rows);
  return rowMse(sliceRows(x, 0, n), await decodeWith(reducer, sliceRows(codes, 0, n)));
}

/**
 * Scores from codes already computed: latent −log density, for models that reconstruct also the reconstruction
 * error, and the available scores combined, each standardised against the training points' scores.
 */
export async function anomalyScores(
  reducer: Reducer,
  density: LatentDensity,
  x: { train: Matrix; test: Matrix },
  codes: { train: Matrix; test: Matrix },
  /** g(codes.test), when the caller has it already. */
  testReconstruction?: Matrix,
): Promise<ModelScores> {
  const dens = { train: densityScores(density, codes.train), test: densityScores(density, codes.test) };
  const decodedTest = async () => (testReconstruction && testReconstruction.rows === x.test.rows && testReconstruction.cols === x.test.cols ? testReconstruction : decodeWith(reducer, codes.test));
  const recon = canReconstruct(reducer)
    ? { train: await reconstructionErrors(reducer, x.train, codes.train, STANDARDISE_ROWS), test: rowMse(x.test, await decodedTest()) }
    : undefined;
  const combined = combinedScores(recon?.test, dens.test, { fitOn: { ...(recon ? { reconstruction: recon.train } : {}), density: dens.train } });
  return { density: dens.test, ...(recon ? { reconstruction: recon.test } : {}), combined };
}
