import { createRng, type Matrix } from '@latentkit/core';

/** Eigenvalues of a symmetric matrix (row-major n×n) by cyclic Jacobi rotations, descending. */
export function symmetricEigenvalues(a: Float64Array, n: number): number[] {
  const m = Float64Array.from(a);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!, akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!, aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => m[i * n + i]!).sort((x, y) => y - x);
}

/** The best MSE any rank-d affine reconstruction can reach: PCA's (Σ trailing eigenvalues) / D. */
export function pcaOptimalMse(x: Matrix, d: number): number {
  const { rows: n, cols: D } = x;
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) mean[j]! += x.data[r * D + j]! / n;
  const cov = new Float64Array(D * D);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < D; i++) {
      const a = x.data[r * D + i]! - mean[i]!;
      for (let j = 0; j < D; j++) cov[i * D + j]! += (a * (x.data[r * D + j]! - mean[j]!)) / n;
    }
  }
  return symmetricEigenvalues(cov, D).slice(d).reduce((s, v) => s + v, 0) / D;
}

/** n rows in D dims: a rank-r signal with decaying scales plus isotropic noise, offset from 0. */
export function lowRankRows(n: number, D: number, r: number, seed = 1, noise = 0.05): Matrix {
  const rng = createRng(seed);
  const basis = Array.from({ length: r }, () => Array.from({ length: D }, () => rng.normal() / Math.sqrt(D)));
  const data = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const coef = Array.from({ length: r }, (_, k) => rng.normal() * (2 - k * 0.5));
    for (let j = 0; j < D; j++) {
      let v = 0.3 + noise * rng.normal();
      for (let k = 0; k < r; k++) v += coef[k]! * basis[k]![j]!;
      data[i * D + j] = v;
    }
  }
  return { data, rows: n, cols: D };
}
