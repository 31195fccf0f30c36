import { applyReflectors, tridiagonalize } from './tridiagonal.js';
import { tridiagonalEigenvalues, tridiagonalEigenvectors } from './tridiagonal-eigen.js';

export interface SymmetricEigen {
  /** Every eigenvalue, descending. */
  readonly values: Float64Array;
  /** The leading `count` eigenvectors as rows (count×n), matching values[0..count). */
  readonly vectors: Float64Array;
}

/**
 * Eigen-decomposition of a dense symmetric n×n matrix (row-major, both triangles): all eigenvalues and
 * the top `count` eigenvectors (count may be chosen from the eigenvalues by a callback). Householder tridiagonalisation, implicit QL for the values, inverse
 * iteration for the vectors, then back-transformation. `a` is overwritten.
 */
export function symmetricEigen(a: Float64Array, n: number, count: number | ((values: Float64Array) => number)): SymmetricEigen {
  const t = tridiagonalize(a, n);
  const values = tridiagonalEigenvalues(t.diag, t.offDiag);
  if (typeof count === 'function') count = count(values);
  const vectors = tridiagonalEigenvectors(t.diag, t.offDiag, values.subarray(0, count));
  for (let j = 0; j < count; j++) applyReflectors(t, vectors.subarray(j * n, (j + 1) * n));
  return { values, vectors };
}
