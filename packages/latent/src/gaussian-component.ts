import type { Rng } from '@latentkit/core';
import { choleskyWithJitter, logDetFromCholesky, lowerTimesVector, mahalanobisSq } from './linalg.js';
import { whitenedSquaredNorms } from './whiten-batch.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * One multivariate normal N(μ, Σ) prepared for repeated use: the Cholesky factor and the log
 * normalising constant are computed once. Shared by the single Gaussian and every mixture component.
 */
export class GaussianComponent {
  readonly dim: number;
  readonly mean: Float64Array;
  /** Σ as given (before any jitter), d×d row-major. */
  readonly covariance: Float64Array;
  /** What was added to Σ's diagonal to make it factorisable; densities and samples use Σ + jitter·I. */
  readonly jitter: number;
  private readonly factor: Float64Array;
  private readonly logNormaliser: number;
  private readonly centred: Float64Array;
  private readonly work: Float64Array;

  constructor(mean: Float64Array, covariance: Float64Array, what = 'covariance') {
    const d = mean.length;
    this.dim = d;
    this.mean = mean;
    this.covariance = covariance;
    const { factor, jitter } = choleskyWithJitter(covariance, d, what);
    this.factor = factor;
    this.jitter = jitter;
    this.logNormaliser = -0.5 * (d * LOG_2PI + logDetFromCholesky(factor, d));
    this.centred = new Float64Array(d);
    this.work = new Float64Array(d);
  }

  /** log N(x; μ, Σ) for the d values of `data` starting at `offset`. */
  logPdfAt(data: ArrayLike<number>, offset: number): number {
    const d = this.dim;
    for (let j = 0; j < d; j++) this.centred[j] = data[offset + j]! - this.mean[j]!;
    return this.logNormaliser - 0.5 * mahalanobisSq(this.factor, d, this.centred, this.work);
  }

  /**
   * offset + log N(x_i; μ, Σ) for all n rows of a d×n column block (columns.ts) into out[outOffset + i]:
   * the batched form of logPdfAt, equal to it bit for bit. `offset` (a mixture's log weight) is added
   * in the same pass.
   */
  logPdfColumns(xt: Float64Array, n: number, out: Float64Array, outOffset: number, offset = 0): void {
    whitenedSquaredNorms(this.factor, this.dim, this.mean, xt, n, out, outOffset);
    const base = this.logNormaliser;
    for (let i = outOffset, end = outOffset + n; i < end; i++) out[i] = offset + (base - 0.5 * out[i]!);
  }

  /** Writes one draw μ + L·ε, ε ~ N(0, I), into out[offset .. offset+d). */
  sampleInto(rng: Rng, out: Float32Array, offset: number): void {
    const d = this.dim;
    for (let j = 0; j < d; j++) this.centred[j] = rng.normal();
    lowerTimesVector(this.factor, d, this.centred, this.work);
    for (let j = 0; j < d; j++) out[offset + j] = this.mean[j]! + this.work[j]!;
  }
}
