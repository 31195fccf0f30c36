import { createRng } from '@latentkit/core';
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
  q = multiply(c, q, n, l);
  orthonormalizeColumns(q, n, l);
  for (let it = 0; it < options.powerIterations; it++) {
    q = multiply(c, q, n, l);
    orthonormalizeColumns(q, n, l);
  }
  // Rayleigh–Ritz: T = Qᵀ (C Q), symmetrised against rounding.
  const cq = multiply(c, q, n, l);
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

/**
 * C (n×n) times Y (n×l), both row-major: each entry is a dot product of a row of C with a column of Y
 * (transposed first so both run over contiguous memory), four columns at a time.
 */
function multiply(c: Float64Array, y: Float64Array, n: number, l: number): Float64Array {
  const yt = new Float64Array(l * n);
  for (let k = 0; k < n; k++) for (let a = 0; a < l; a++) yt[a * n + k] = y[k * l + a]!;
  const out = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    const ci = i * n, o = i * l;
    let a = 0;
    for (; a + 4 <= l; a += 4) {
      const p0 = a * n, p1 = p0 + n, p2 = p1 + n, p3 = p2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < n; k++) {
        const v = c[ci + k]!;
        s0 += v * yt[p0 + k]!; s1 += v * yt[p1 + k]!; s2 += v * yt[p2 + k]!; s3 += v * yt[p3 + k]!;
      }
      out[o + a] = s0; out[o + a + 1] = s1; out[o + a + 2] = s2; out[o + a + 3] = s3;
    }
    for (; a < l; a++) {
      const p = a * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += c[ci + k]! * yt[p + k]!;
      out[o + a] = s;
    }
  }
  return out;
}
