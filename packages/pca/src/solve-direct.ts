import { createRng, type Matrix, throwIfAborted } from '@latentkit/core';
import { centredSumOfSquares, centredTimes, columnMeans, transposeTimesCentred } from './centred-rows.js';
import { orthonormalizeColumns, orthonormalizeRows } from './orthonormalize.js';
import { type PcaSpectrum, type RandomizedSettings, type SolveControl, yieldTurn } from './spectrum.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Squared singular values this far below the largest are rounding: their axes are completed instead. */
const NULL_EIGENVALUE = 1e-13;

/**
 * Randomized PCA on the centred data itself (Halko, Martinsson & Tropp 2011, algorithms 4.4 and 5.1),
 * never forming XcᵀXc or Xc·Xcᵀ: Q = orth(Xc·Ω) for a seeded Gaussian Ω (D×l), power iterations
 * Q = orth(Xc·orth(Xcᵀ·Q)), then the SVD of the small B = Qᵀ·Xc (l×D) through the l×l matrix B·Bᵀ.
 * Q's range is Xc·C^q·Ω, so B's rows span C^(q+1)·Ω: the subspace the covariance-based solver refines.
 * Memory is O((n + D)·l); the D-side matrices are kept as l rows of length D so every loop is contiguous.
 */
export async function solveDirect(x: Matrix, k: number, settings: RandomizedSettings, control: SolveControl = {}): Promise<PcaSpectrum> {
  const { rows: n, cols: D } = x;
  const l = settings.width;
  const steps = settings.powerIterations + 2;
  const step = async (done: number) => {
    control.report?.('range-finder', done / steps);
    await yieldTurn();
    throwIfAborted(control.signal, 'PCA fit');
  };
  const mean = columnMeans(x);
  const totalVariance = centredSumOfSquares(x, mean) / (n - 1 || 1);
  // `basis` holds Ωᵀ, then each orth(Xcᵀ·Q)ᵀ, then B = Qᵀ·Xc: one l×D array throughout. Ω is drawn in the
  // covariance solver's order (D×l, row by row), so both start from the same random subspace.
  const basis = new Float64Array(l * D);
  const row = new Float64Array(D); // one centred row at a time, reused by every pass
  const rng = createRng(settings.seed);
  for (let j = 0; j < D; j++) for (let a = 0; a < l; a++) basis[a * D + j] = rng.normal();
  await step(0);
  let q = centredTimes(x, mean, basis, l, row);
  orthonormalizeColumns(q, n, l);
  for (let it = 0; it < settings.powerIterations; it++) {
    await step(it + 1);
    transposeTimesCentred(x, mean, q, l, basis, row);
    orthonormalizeRows(basis, l, D);
    q = centredTimes(x, mean, basis, l, row);
    orthonormalizeColumns(q, n, l);
  }
  await step(steps - 1);
  const b = transposeTimesCentred(x, mean, q, l, basis, row);
  control.report?.('eigensolve', 0, 'randomized');
  // B·Bᵀ (l×l): its eigenpairs are B's squared singular values and left singular vectors.
  const small = new Float64Array(l * l);
  for (let a = 0; a < l; a++) {
    for (let c = a; c < l; c++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += b[a * D + j]! * b[c * D + j]!;
      small[a * l + c] = s;
      small[c * l + a] = s;
    }
  }
  const eig = symmetricEigen(small, l, k);
  // Right singular vectors: v_c = Bᵀ·u_c / σ_c.
  const floor = Math.max(eig.values[0]!, 0) * NULL_EIGENVALUE;
  const components = new Float64Array(k * D);
  for (let c = 0; c < k; c++) {
    const s2 = eig.values[c]!;
    if (!(s2 > floor && s2 > 0)) continue;
    const inv = 1 / Math.sqrt(s2), o = c * D;
    for (let a = 0; a < l; a++) {
      const w = eig.vectors[c * l + a]! * inv;
      for (let j = 0; j < D; j++) components[o + j] = components[o + j]! + w * b[a * D + j]!;
    }
  }
  orthonormalizeRows(components, k, D);
  const variances = eig.values.slice(0, k).map((v) => v / (n - 1 || 1));
  return { k, mean, variances, components, totalVariance };
}
