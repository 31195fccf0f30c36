import { createRng } from '@latentkit/core';

/**
 * Straightforward per-row float64 formulas for the batched EM kernels' tests: textbook Cholesky,
 * forward substitution one row at a time, two-pass weighted moments, log-sum-exp per row.
 * No code shared with the package.
 */

export function referenceCholesky(a: ArrayLike<number>, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = i === j ? Math.sqrt(s) : s / l[j * d + j]!;
    }
  }
  return l;
}

/** |L⁻¹(x − μ)|² for one row. */
export function referenceMahalanobisSq(l: Float64Array, d: number, x: ArrayLike<number>, mean: ArrayLike<number>): number {
  const y = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < d; i++) {
    let s = x[i]! - mean[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
    total += y[i]! * y[i]!;
  }
  return total;
}

/** log N(x; μ, Σ) for one row. */
export function referenceLogPdf(x: ArrayLike<number>, mean: ArrayLike<number>, cov: ArrayLike<number>): number {
  const d = mean.length;
  const l = referenceCholesky(cov, d);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]!);
  return -0.5 * (d * Math.log(2 * Math.PI) + logDet + referenceMahalanobisSq(l, d, x, mean));
}

/** Weighted mean and divide-by-Σw covariance of the rows (row-major n×d), one row at a time. */
export function referenceMoments(rows: ArrayLike<number>, n: number, d: number, w: ArrayLike<number>): { total: number; mean: Float64Array; cov: Float64Array } {
  let total = 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    total += w[i]!;
    for (let j = 0; j < d; j++) mean[j] += w[i]! * rows[i * d + j]!;
  }
  for (let j = 0; j < d; j++) mean[j] /= total;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) cov[a * d + b] += w[i]! * (rows[i * d + a]! - mean[a]!) * (rows[i * d + b]! - mean[b]!);
    }
  }
  for (let e = 0; e < d * d; e++) cov[e] /= total;
  return { total, mean, cov };
}

/** A random symmetric positive definite d×d matrix whose smallest eigenvalue is about `smallest`. */
export function randomCovariance(d: number, seed: number, smallest = 0.1): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) a[i] = rng.normal();
  // Q from Gram–Schmidt on a's rows; Σ = Qᵀ diag(λ) Q with λ from 1 down to `smallest`.
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) q[i * d + j] = a[i * d + j]!;
    for (let p = 0; p < i; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += q[i * d + j]! * q[p * d + j]!;
      for (let j = 0; j < d; j++) q[i * d + j] -= dot * q[p * d + j]!;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += q[i * d + j]! ** 2;
    for (let j = 0; j < d; j++) q[i * d + j] /= Math.sqrt(norm);
  }
  const cov = new Float64Array(d * d);
  for (let p = 0; p < d; p++) {
    const lambda = d === 1 ? 1 : Math.exp(Math.log(smallest) * (p / (d - 1)));
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] += lambda * q[p * d + i]! * q[p * d + j]!;
  }
  return cov;
}

/** n×d row-major standard normals scaled by `scale`, shifted by `shift`. */
export function randomRows(n: number, d: number, seed: number, scale = 1, shift = 0): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => shift + scale * rng.normal());
}
