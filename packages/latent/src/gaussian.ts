import { LatentkitError, createMatrix, createRng, type Matrix } from '@latentkit/core';
import { assertCount, assertDim, assertSeed, assertUsableCodes } from './checks.js';
import { DENSITY_FORMAT, DENSITY_FORMAT_VERSION, type GaussianJson, type LatentDensity } from './density.js';
import { readCovarianceType, readInt, readObject, readVector } from './density-json.js';
import { GaussianComponent } from './gaussian-component.js';
import { weightedMoments, type CovarianceType } from './moments.js';

export interface GaussianFitOptions {
  /** 'full' (default) keeps correlations; 'diagonal' zeroes every off-diagonal covariance. */
  readonly covariance?: CovarianceType;
}

/**
 * A single multivariate normal over codes. Fitting uses the maximum-likelihood covariance
 * (divide by n, as the mixture's EM does), so a 1-component mixture and this agree exactly.
 */
export class GaussianDensity implements LatentDensity {
  readonly kind = 'gaussian' as const;
  readonly dim: number;
  readonly covarianceType: CovarianceType;
  readonly sampleCount: number;
  private readonly component: GaussianComponent;

  constructor(mean: Float64Array, covariance: Float64Array, covarianceType: CovarianceType = 'full', sampleCount = 0) {
    const d = mean.length;
    if (d === 0) throw new LatentkitError('E_SHAPE', 'a Gaussian needs at least one dimension');
    if (covariance.length !== d * d) throw new LatentkitError('E_SHAPE', `covariance has ${covariance.length} values, expected ${d}×${d}`);
    this.dim = d;
    this.covarianceType = covarianceType;
    this.sampleCount = sampleCount;
    this.component = new GaussianComponent(mean, covariance, 'Gaussian covariance');
  }

  static fit(codes: Matrix, options: GaussianFitOptions = {}): GaussianDensity {
    const type = options.covariance ?? 'full';
    if (type !== 'full' && type !== 'diagonal') throw new LatentkitError('E_OPTION', `covariance must be "full" or "diagonal", got "${String(type)}"`);
    assertUsableCodes(codes, 'Gaussian fit codes');
    const { mean, covariance } = weightedMoments(codes, type);
    return new GaussianDensity(mean, covariance, type, codes.rows);
  }

  static fromJSON(json: unknown): GaussianDensity {
    const o = readObject(json, 'gaussian');
    const d = readInt(o, 'dim', 'gaussian', 1);
    const type = readCovarianceType(o, 'gaussian');
    const mean = readVector(o.mean, d, 'mean', 'gaussian');
    const covariance = readVector(o.covariance, d * d, 'covariance', 'gaussian');
    return new GaussianDensity(mean, covariance, type, readInt(o, 'sampleCount', 'gaussian', 0));
  }

  get mean(): Float64Array {
    return this.component.mean;
  }

  /** d×d row-major, as fitted (before any jitter). */
  get covariance(): Float64Array {
    return this.component.covariance;
  }

  /** Diagonal jitter needed to factorise a singular covariance; 0 when Σ was positive definite. */
  get jitter(): number {
    return this.component.jitter;
  }

  logDensity(z: Matrix): Float64Array {
    assertDim(z, this.dim, 'codes');
    const out = new Float64Array(z.rows);
    for (let i = 0; i < z.rows; i++) out[i] = this.component.logPdfAt(z.data, i * z.cols);
    return out;
  }

  sample(n: number, seed = 0): Matrix {
    assertCount(n, 'sample count');
    assertSeed(seed, 'sample');
    const rng = createRng(seed);
    const out = new Float32Array(n * this.dim);
    for (let i = 0; i < n; i++) this.component.sampleInto(rng, out, i * this.dim);
    return createMatrix(n, this.dim, out);
  }

  toJSON(): GaussianJson {
    return {
      format: DENSITY_FORMAT,
      version: DENSITY_FORMAT_VERSION,
      kind: 'gaussian',
      dim: this.dim,
      covarianceType: this.covarianceType,
      mean: Array.from(this.mean),
      covariance: Array.from(this.covariance),
      sampleCount: this.sampleCount,
    };
  }
}

/** Fits N(μ, Σ) to codes (rows). See GaussianDensity for the estimator. */
export function fitGaussian(codes: Matrix, options?: GaussianFitOptions): GaussianDensity {
  return GaussianDensity.fit(codes, options);
}
