import { type Matrix, throwIfAborted } from '@latentkit/core';
import { centredGram, centredRow, columnMeans } from './centred-rows.js';
import { orthonormalizeRows } from './orthonormalize.js';
import { type ComponentCount, createPacer, type PcaSpectrum, type SolveControl, yieldTurn } from './spectrum.js';
import { symmetricEigen } from './symmetric-eigen.js';

/**
 * Eigenvalues this far below the largest are rounding of a rank-deficient Gram matrix (centred data has
 * rank ≤ n − 1): their axes are not defined by the data, so they are completed as orthonormal directions.
 */
const NULL_EIGENVALUE = 1e-13;

/**
 * Exact PCA by the dual route: the n×n Gram matrix G = Xc·Xcᵀ has the covariance's non-zero eigenvalues
 * (times n − 1), and each principal axis is Xcᵀu/√λ for an eigenvector u of G. With fewer samples than
 * features this is far smaller and cheaper than the D×D covariance; the result is the same PCA.
 */
export async function solveByGram(x: Matrix, count: ComponentCount, control: SolveControl = {}): Promise<PcaSpectrum> {
  const n = x.rows;
  control.report?.('gram', 0);
  const mean = columnMeans(x);
  const gram = await centredGram(x, mean, createPacer(control, 'gram'));
  const scale = 1 / (n - 1 || 1);
  let trace = 0;
  for (let r = 0; r < n; r++) trace += gram[r * n + r]!;
  const totalVariance = trace * scale;
  control.report?.('eigensolve', 0, 'exact');
  await yieldTurn();
  throwIfAborted(control.signal, 'PCA fit');
  let k = 0;
  const eig = symmetricEigen(gram, n, (all) => (k = typeof count === 'number' ? count : count(all.map((v) => v * scale), totalVariance)));
  const components = axesFromGramVectors(x, mean, eig.values, eig.vectors, k);
  return { k, mean, variances: eig.values.slice(0, k).map((v) => v * scale), components, totalVariance };
}

/** v_c = Xcᵀ u_c / √λ_c in one pass over the rows, then re-orthonormalised (null directions completed). */
function axesFromGramVectors(x: Matrix, mean: Float64Array, values: Float64Array, vectors: Float64Array, k: number): Float64Array {
  const { rows: n, cols: D } = x;
  const floor = Math.max(values[0]!, 0) * NULL_EIGENVALUE;
  const weight = Float64Array.from({ length: k }, (_, c) => (values[c]! > floor && values[c]! > 0 ? 1 / Math.sqrt(values[c]!) : 0));
  const components = new Float64Array(k * D);
  const row = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    centredRow(x, mean, r, row);
    for (let c = 0; c < k; c++) {
      const w = vectors[c * n + r]! * weight[c]!;
      if (w === 0) continue;
      const o = c * D;
      for (let j = 0; j < D; j++) components[o + j] = components[o + j]! + w * row[j]!;
    }
  }
  orthonormalizeRows(components, k, D);
  return components;
}
