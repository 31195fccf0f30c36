import { createRng } from '@latentkit/core';
import { matrixTimes } from './matrix-times.js';
import { orthonormalizeColumns } from './orthonormalize.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface RandomizedEigenOptions {
  readonly count: number;
  readonly oversamples: number;
  readonly powerIterations: number;
  readonly seed: number;
}

/**
 * Top eigenpairs of a symmetric positive semi-definite n×n matrix C by randomized subspace iteration
 * (Halko, Martinsson & Tropp 2011): Q = orth(C Ω) for a seeded Gaussian Ω with count+oversamples
 * columns, `powerIterations` refinements Q = orth(C Q), then Rayleigh–Ritz on Qᵀ C Q. On a
 * covariance C = XᵀX/(n−1) each refinement equals one of scikit-learn's power iterations (X then
 * Xᵀ) but costs only n² instead of a pass over the data.
 */
export function randomizedEigen(c: Float64Array, n: number, options: RandomizedEigenOptions): { values: Float64Array; vectors: Float64Array } {
  const l = Math.min(n, options.count + options.oversamples);
  const rng = createRng(options.seed);
  let q: Float64Array = new Float64Array(n * l);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  q = matrixTimes(c, n, n, q, l);
  orthonormalizeColumns(q, n, l);
  for (let it = 0; it < options.powerIterations; it++) {
    q = matrixTimes(c, n, n, q, l);
    orthonormalizeColumns(q, n, l);
  }
  // Rayleigh–Ritz: T = Qᵀ (C Q), symmetrised against rounding.
  const cq = matrixTimes(c, n, n, q, l);
  const t = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < l; a++) {
      const qa = q[i * l + a]!;
      for (let b = 0; b < l; b++) t[a * l + b] = t[a * l + b]! + qa * cq[i * l + b]!;
    }
  }
  for (let a = 0; a < l; a++) {
    for (let b = a + 1; b < l; b++) {
      const v = (t[a * l + b]! + t[b * l + a]!) / 2;
      t[a * l + b] = v;
      t[b * l + a] = v;
    }
  }
  const small = symmetricEigen(t, l, options.count);
  const vectors = new Float64Array(options.count * n);
  for (let j = 0; j < options.count; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += q[i * l + a]! * small.vectors[j * l + a]!;
      vectors[j * n + i] = s;
    }
  }
  return { values: small.values.slice(0, options.count), vectors };
}
