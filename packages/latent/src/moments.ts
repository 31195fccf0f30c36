import type { Matrix } from '@latentkit/core';
import { columnsOf } from './columns.js';
import { weightedMomentsOfColumns } from './moments-columns.js';

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
  const { rows: n, cols: d } = x;
  let w: Float64Array | undefined;
  if (weights) {
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = weights[i * stride + column]!;
  }
  return weightedMomentsOfColumns(columnsOf(x), n, d, type, w);
}
