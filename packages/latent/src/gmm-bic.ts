import type { CovarianceType } from './moments.js';

/** Free parameters of a k-component mixture in d dimensions (for BIC). */
export function mixtureParameterCount(k: number, d: number, type: CovarianceType): number {
  const perCovariance = type === 'full' ? (d * (d + 1)) / 2 : d;
  return k * (d + perCovariance) + (k - 1);
}

/** BIC = −2·log L + p·ln n; lower is better. */
export function bayesianInformationCriterion(logLikelihood: number, k: number, d: number, n: number, type: CovarianceType): number {
  return -2 * logLikelihood + mixtureParameterCount(k, d, type) * Math.log(n);
}
