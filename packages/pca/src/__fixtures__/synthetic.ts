import { createRng, type Dataset, type Matrix } from '@latentkit/core';

/** n samples of a Gaussian with covariance L Lᵀ (L given row-major, D×D) and the given mean. */
export function gaussianSamples(n: number, mean: readonly number[], chol: readonly number[], seed = 1): Matrix {
  const D = mean.length;
  const rng = createRng(seed);
  const data = new Float32Array(n * D);
  const z = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < D; j++) z[j] = rng.normal();
    for (let i = 0; i < D; i++) {
      let s = mean[i]!;
      for (let j = 0; j < D; j++) s += chol[i * D + j]! * z[j]!;
      data[r * D + i] = s;
    }
  }
  return { data, rows: n, cols: D };
}

/** Rank-`rank` signal (decaying scales) plus small isotropic noise: a clear spectral gap after `rank`. */
export function lowRankPlusNoise(n: number, D: number, rank: number, noise: number, seed = 2): Matrix {
  const rng = createRng(seed);
  const basis = Array.from({ length: rank }, () => Float64Array.from({ length: D }, () => rng.normal() / Math.sqrt(D)));
  const data = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < rank; c++) {
      const w = rng.normal() * (rank - c + 2);
      for (let j = 0; j < D; j++) data[r * D + j] = data[r * D + j]! + w * basis[c]![j]!;
    }
    for (let j = 0; j < D; j++) data[r * D + j] = data[r * D + j]! + 1 + noise * rng.normal();
  }
  return { data, rows: n, cols: D };
}

export function asDataset(x: Matrix, name = 'synthetic'): Dataset {
  return { name, x };
}

/** Plain float64 sample covariance (n−1), as an independent reference. */
export function referenceCovariance(x: Matrix): Float64Array {
  const { rows: n, cols: D } = x;
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) mean[j]! += x.data[r * D + j]!;
  for (let j = 0; j < D; j++) mean[j]! /= n;
  const c = new Float64Array(D * D);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < D; a++) {
      const da = x.data[r * D + a]! - mean[a]!;
      for (let b = 0; b < D; b++) c[a * D + b]! += da * (x.data[r * D + b]! - mean[b]!);
    }
  }
  for (let i = 0; i < c.length; i++) c[i]! /= n - 1;
  return c;
}
