import { LatentkitError } from './errors.js';
import type { Matrix } from './matrix.js';

function assertSameShape(a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new LatentkitError('E_SHAPE', `shapes differ: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  }
}

/** Mean squared error per element (per pixel for images), accumulated in float64. */
export function mse(x: Matrix, xHat: Matrix): number {
  assertSameShape(x, xHat);
  let s = 0;
  const a = x.data, b = xHat.data;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return a.length === 0 ? 0 : s / a.length;
}

/** Per-row mean squared error: a reconstruction-error score per sample. */
export function rowMse(x: Matrix, xHat: Matrix): Float64Array {
  assertSameShape(x, xHat);
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let s = 0;
    const o = r * x.cols;
    for (let j = 0; j < x.cols; j++) {
      const d = x.data[o + j]! - xHat.data[o + j]!;
      s += d * d;
    }
    out[r] = s / x.cols;
  }
  return out;
}

/** Peak signal-to-noise ratio in dB for values with the given peak (1 for pixels in [0,1]). */
export function psnr(meanSquaredError: number, peak = 1): number {
  return 10 * Math.log10((peak * peak) / meanSquaredError);
}

/** Per-feature means, float64. */
export function columnMeans(x: Matrix): Float64Array {
  const mean = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    const o = r * x.cols;
    for (let j = 0; j < x.cols; j++) mean[j]! += x.data[o + j]!;
  }
  for (let j = 0; j < x.cols; j++) mean[j]! /= x.rows;
  return mean;
}

/**
 * Mean per-feature variance (population, divide by n): the MSE of predicting every sample by the mean.
 * Dividing a reconstruction MSE by this puts every reducer on PCA's explained-variance axis.
 */
export function meanFeatureVariance(x: Matrix): number {
  const mean = columnMeans(x);
  let s = 0;
  for (let r = 0; r < x.rows; r++) {
    const o = r * x.cols;
    for (let j = 0; j < x.cols; j++) {
      const d = x.data[o + j]! - mean[j]!;
      s += d * d;
    }
  }
  return s / (x.rows * x.cols);
}

/** Variance explained by any reconstruction: 1 − MSE / mean feature variance. */
export function varianceExplained(x: Matrix, xHat: Matrix): number {
  return 1 - mse(x, xHat) / meanFeatureVariance(x);
}

/** Fraction of the total variance carried by each of the given component variances. */
export function explainedVarianceRatio(componentVariances: ArrayLike<number>, totalVariance: number): number[] {
  return Array.from(componentVariances, (v) => v / totalVariance);
}

/**
 * Area under the ROC curve for scores where higher means "positive" (e.g. anomalous).
 * Equals P(score of a random positive > score of a random negative), ties counting one half.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  if (positive.length !== n) throw new LatentkitError('E_SHAPE', `${n} scores but ${positive.length} labels`);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let nPos = 0;
  let rankSumPos = 0;
  for (let k = 0; k < n; ) {
    let end = k;
    while (end + 1 < n && scores[idx[end + 1]!] === scores[idx[k]!]) end++;
    const avgRank = (k + end) / 2 + 1; // 1-based average rank of the tie group
    for (let t = k; t <= end; t++) {
      if (positive[idx[t]!]) {
        nPos++;
        rankSumPos += avgRank;
      }
    }
    k = end + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) throw new LatentkitError('E_INPUT_VALUE', 'ROC AUC needs at least one positive and one negative');
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
