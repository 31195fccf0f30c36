import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';
import { randomizedEigen } from './randomized-eigen.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

/** max |A v − λ v| and max |VᵀV − I| over the returned pairs. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array, count: number): { residual: number; orthogonality: number } {
  let residual = 0, orthogonality = 0;
  for (let c = 0; c < count; c++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * vectors[c * n + j]!;
      residual = Math.max(residual, Math.abs(s - values[c]! * vectors[c * n + i]!));
    }
    for (let d = 0; d <= c; d++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += vectors[c * n + j]! * vectors[d * n + j]!;
      orthogonality = Math.max(orthogonality, Math.abs(s - (c === d ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

describe('symmetricEigen', () => {
  it('solves a 2×2 matrix in closed form', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with vectors (1,1)/√2 and (1,−1)/√2.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2, 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0]! * vectors[1]!).toBeCloseTo(0.5, 12);
    expect(vectors[2]! * vectors[3]!).toBeCloseTo(-0.5, 12);
  });

  it('returns a diagonal matrix’s entries sorted descending with unit vectors', () => {
    const n = 5;
    const a = new Float64Array(n * n);
    [3, -1, 7, 0, 2].forEach((v, i) => (a[i * n + i] = v));
    const { values, vectors } = symmetricEigen(a, n, 1);
    expect(Array.from(values)).toEqual([7, 3, 2, 0, -1]);
    expect(Math.abs(vectors[2]!)).toBeCloseTo(1, 12);
  });

  it.each([7, 40, 121])('gives accurate orthonormal eigenpairs of a random symmetric matrix of order %i', (n) => {
    const a = randomSymmetric(n, n);
    const { values, vectors } = symmetricEigen(Float64Array.from(a), n, n);
    const { residual, orthogonality } = residuals(a, n, values, vectors, n);
    expect(residual).toBeLessThan(1e-11);
    expect(orthogonality).toBeLessThan(1e-11);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i]!;
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]!);
  });

  it('keeps vectors orthogonal for a heavily repeated eigenvalue', () => {
    // I + 3uuᵀ + 2wwᵀ: eigenvalue 1 with multiplicity n−2.
    const n = 30;
    const rng = createRng(3);
    const u = Array.from({ length: n }, () => rng.normal() / Math.sqrt(n));
    const w = Array.from({ length: n }, () => rng.normal() / Math.sqrt(n));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (i === j ? 1 : 0) + 3 * u[i]! * u[j]! + 2 * w[i]! * w[j]!;
    const { values, vectors } = symmetricEigen(Float64Array.from(a), n, n);
    const { residual, orthogonality } = residuals(a, n, values, vectors, n);
    expect(residual).toBeLessThan(1e-12);
    expect(orthogonality).toBeLessThan(1e-12);
    expect(values[n - 1]).toBeCloseTo(1, 12);
  });
});

describe('randomizedEigen', () => {
  it('matches the exact top eigenpairs of a matrix with a spectral gap', () => {
    const n = 60, rank = 4;
    const rng = createRng(9);
    const a = new Float64Array(n * n);
    for (let c = 0; c < rank; c++) {
      const u = Array.from({ length: n }, () => rng.normal() / Math.sqrt(n));
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j]! += (10 - 2 * c) * u[i]! * u[j]!;
    }
    for (let i = 0; i < n; i++) a[i * n + i]! += 0.01;
    const exact = symmetricEigen(Float64Array.from(a), n, rank);
    const approx = randomizedEigen(a, n, { count: rank, oversamples: 5, powerIterations: 3, seed: 1 });
    for (let c = 0; c < rank; c++) {
      expect(approx.values[c]).toBeCloseTo(exact.values[c]!, 9);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += approx.vectors[c * n + i]! * exact.vectors[c * n + i]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 9);
    }
  });
});

describe('exact spectrum of real image data', () => {
  it('converges on MNIST, whose border pixels have zero variance (a block of roundoff-sized entries)', async () => {
    const { loadMnistSplit } = await import('@latentkit/data/node');
    const { subsetDataset } = await import('@latentkit/core');
    const { fitPca } = await import('./index.js');
    const { train } = await loadMnistSplit();
    const { model: pca } = await fitPca(subsetDataset(train, Array.from({ length: 1500 }, (_, i) => i)), { latentDim: 0.5, solver: 'exact' }, { seed: 0 });
    const ratios = pca.explainedVarianceRatio;
    const sum = ratios.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(0.5);
    expect(sum - ratios[ratios.length - 1]!).toBeLessThanOrEqual(0.5);
  });
});
