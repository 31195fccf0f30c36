import type { Matrix } from '@latentkit/core';
import type { CovarianceType } from './moments.js';

export const DENSITY_FORMAT = 'latentkit-density';
export const DENSITY_FORMAT_VERSION = 1;

/**
 * A probability density over latent codes z ∈ R^d. The lecture's point is that we do not know the
 * right latent density; these models are explicit guesses that can be scored, sampled and compared.
 */
export interface LatentDensity {
  readonly kind: 'gaussian' | 'gaussian-mixture';
  readonly dim: number;
  /** Natural-log density of every row of z. */
  logDensity(z: Matrix): Float64Array;
  /** n codes drawn from the density; the same seed gives the same codes. */
  sample(n: number, seed?: number): Matrix;
  /** Plain JSON (no typed arrays) so a run folder can store it and a browser can fetch it. */
  toJSON(): LatentDensityJson;
}

interface JsonHeader {
  readonly format: typeof DENSITY_FORMAT;
  readonly version: number;
  readonly dim: number;
  readonly covarianceType: CovarianceType;
}

export interface GaussianJson extends JsonHeader {
  readonly kind: 'gaussian';
  readonly mean: number[];
  /** d×d row-major. */
  readonly covariance: number[];
  readonly sampleCount: number;
}

export interface GaussianMixtureJson extends JsonHeader {
  readonly kind: 'gaussian-mixture';
  readonly k: number;
  readonly weights: number[];
  readonly means: number[][];
  /** One d×d row-major matrix per component. */
  readonly covariances: number[][];
  readonly logLikelihood: number;
  readonly bic: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly sampleCount: number;
  /** BIC of every k tried when k was chosen automatically. */
  readonly selection?: { k: number; bic: number }[];
}

export type LatentDensityJson = GaussianJson | GaussianMixtureJson;
