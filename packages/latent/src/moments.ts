import type { Matrix } from '@latentkit/core';

export type CovarianceType = 'full' | 'diagonal';

export interface WeightedMoments {
  /** Σ of the weights (the effective sample count). */
  readonly total: number;
  readonly mean: Float64Array;
  /** d×d row-major; off-diagonal entries stay 0 for 'diagonal'. */
  readonly covariance: Float64Array;
}

/**
 * Weighted mean and maximum-likelihood covariance (divide by Σw, not Σw − 1) of the rows of x.
 * `weights` is read as weights[i*stride + column], so one column of an n×k responsibility matrix
 * can be used in place; undefined means every row has weight 1. Two passes (mean, then centred
 * products) in float64 keep the covariance accurate when the mean is large.
 */
export function weightedMoments(
  x: Matrix,
  type: CovarianceType,
  weights?: Float64Array,
  stride = 1,
  column = 0,
): WeightedMoments {
  const { rows: n, cols: d, data } = x;
  const mean = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i * stride + column]! : 1;
    if (w === 0) continue;
    total += w;
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j]! += w * data[o + j]!;
  }
  const covariance = new Float64Array(d * d);
  if (total <= 0) return { total, mean, covariance };
  for (let j = 0; j < d; j++) mean[j]! /= total;

  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i * stride + column]! : 1;
    if (w === 0) continue;
    const o = i * d;
    for (let j = 0; j < d; j++) c[j] = data[o + j]! - mean[j]!;
    if (type === 'diagonal') {
      for (let j = 0; j < d; j++) covariance[j * d + j]! += w * c[j]! * c[j]!;
    } else {
      // Lower triangle only; mirrored below.
      for (let a = 0; a < d; a++) {
        const wa = w * c[a]!;
        for (let b = 0; b <= a; b++) covariance[a * d + b]! += wa * c[b]!;
      }
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = covariance[a * d + b]! / total;
      covariance[a * d + b] = v;
      covariance[b * d + a] = v;
    }
  }
  return { total, mean, covariance };
}
