// The memory-saving methods against the covariance-based solvers on the same data: the dual (n×n Gram)
// exact solver and the randomized solver that works on the data directly must give the same PCA.
import { isLatentkitError, type Matrix, type MemoryBudget, mse } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { lowRankPlusNoise } from './__fixtures__/synthetic.js';
import { type PcaSolution, solvePca } from './fit.js';
import type { PcaMethod } from './memory-plan.js';
import { pcaOptions, type PcaSolver } from './options.js';

const BUDGET: MemoryBudget = { bytes: 2 ** 40, source: 'test' };

function solve(x: Matrix, latentDim: number, solver: PcaSolver, method?: PcaMethod, seed = 3): Promise<PcaSolution> {
  return solvePca(x, latentDim, pcaOptions.parse({ solver }), BUDGET, { seed }, method);
}

/** Encode then decode with a solution's k components, in float64. */
function reconstruct(x: Matrix, s: PcaSolution): Matrix {
  const { rows: n, cols: D } = x;
  const out = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    const back = Float64Array.from(s.mean);
    for (let c = 0; c < s.k; c++) {
      let z = 0;
      for (let j = 0; j < D; j++) z += (x.data[r * D + j]! - s.mean[j]!) * s.components[c * D + j]!;
      for (let j = 0; j < D; j++) back[j] = back[j]! + z * s.components[c * D + j]!;
    }
    out.set(back, r * D);
  }
  return { data: out, rows: n, cols: D };
}

function ratios(s: PcaSolution): number[] {
  return Array.from(s.explainedVariance, (v) => v / s.totalVariance);
}

function expectSamePca(actual: PcaSolution, reference: PcaSolution, x: Matrix, tolerance: number): void {
  expect(actual.k).toBe(reference.k);
  expect(actual.totalVariance / reference.totalVariance).toBeCloseTo(1, 10);
  const a = ratios(actual), b = ratios(reference);
  for (let c = 0; c < reference.k; c++) expect(Math.abs(a[c]! - b[c]!) / b[c]!, `ratio ${c}`).toBeLessThan(tolerance);
  const errA = mse(x, reconstruct(x, actual)), errB = mse(x, reconstruct(x, reference));
  expect(Math.abs(errA - errB) / errB).toBeLessThan(tolerance);
  expect(Math.abs(actual.noiseVariance - reference.noiseVariance) / reference.noiseVariance).toBeLessThan(tolerance);
}

/** max |VVᵀ − I| over the k rows. */
function orthonormality(s: PcaSolution, D: number): number {
  let worst = 0;
  for (let a = 0; a < s.k; a++) for (let b = 0; b < s.k; b++) {
    let dot = 0;
    for (let j = 0; j < D; j++) dot += s.components[a * D + j]! * s.components[b * D + j]!;
    worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
  }
  return worst;
}

describe('dual (n×n Gram) exact PCA', () => {
  const x = lowRankPlusNoise(40, 150, 6, 0.1, 8);

  it('is what the exact solver uses with fewer samples than features, and equals the D×D covariance path', async () => {
    const dual = await solve(x, 8, 'exact');
    const covariance = await solve(x, 8, 'exact', 'covariance');
    expect(dual.method).toBe('gram');
    expect(covariance.method).toBe('covariance');
    expect(dual.plannedBytes).toBeLessThan(covariance.plannedBytes);
    expectSamePca(dual, covariance, x, 1e-8);
    // The same sign rule: the components agree entry by entry.
    for (let i = 0; i < dual.components.length; i++) expect(dual.components[i]).toBeCloseTo(covariance.components[i]!, 8);
    expect(orthonormality(dual, x.cols)).toBeLessThan(1e-12);
  });

  it('picks the same k for a variance fraction', async () => {
    const dual = await solve(x, 0.95, 'auto');
    const covariance = await solve(x, 0.95, 'auto', 'covariance');
    expect(dual.method).toBe('gram');
    expect(dual.k).toBe(covariance.k);
    expect(dual.k).toBeGreaterThan(1);
    expectSamePca(dual, covariance, x, 1e-8);
  });

  it('can be cancelled in the middle of the Gram pass, and reports its progress', async () => {
    const wide = lowRankPlusNoise(500, 3000, 5, 0.1, 1);
    const controller = new AbortController();
    const phases: string[] = [];
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    let error: unknown;
    try {
      await solvePca(wide, 5, pcaOptions.parse({ solver: 'exact' }), BUDGET, { signal: controller.signal, onProgress: (e) => phases.push(e.phase) });
    } catch (e) {
      error = e;
    }
    expect(isLatentkitError(error) && error.code).toBe('E_ABORTED');
    expect(phases[0]).toBe('gram');
    expect(phases).not.toContain('eigensolve');
    // The whole pass (500²·3000/2 products) takes far longer than the time it took to stop.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('completes the axes centred data does not define (k = n > rank) and still reconstructs exactly', async () => {
    const small = lowRankPlusNoise(10, 30, 10, 0.5, 4);
    const dual = await solve(small, 10, 'exact');
    expect(dual.method).toBe('gram');
    expect(dual.explainedVariance[9]).toBeLessThan(1e-10 * dual.explainedVariance[0]!);
    expect(orthonormality(dual, 30)).toBeLessThan(1e-12);
    expect(mse(small, reconstruct(small, dual))).toBeLessThan(1e-10);
  });
});

describe('randomized PCA on the data directly (no D×D or n×n matrix)', () => {
  it('matches the exact solver with more samples than features (existing low-rank fixture)', async () => {
    const x = lowRankPlusNoise(600, 80, 5, 0.05);
    const direct = await solve(x, 5, 'randomized', 'direct', 11);
    const covariance = await solve(x, 5, 'randomized', 'covariance', 11);
    const exact = await solve(x, 5, 'exact');
    expect([direct.method, covariance.method, exact.method]).toEqual(['direct', 'covariance', 'covariance']);
    expectSamePca(direct, exact, x, 1e-4);
    expectSamePca(direct, covariance, x, 1e-4);
    // Same sign rule (by scores, n ≥ D) as the covariance-based solvers.
    for (let i = 0; i < direct.components.length; i++) expect(direct.components[i]).toBeCloseTo(exact.components[i]!, 4);
    expect(orthonormality(direct, 80)).toBeLessThan(1e-12);
  });

  it('is the randomized method with fewer samples than features, and matches the exact (dual) solver', async () => {
    const x = lowRankPlusNoise(60, 500, 4, 0.05, 6);
    const direct = await solve(x, 4, 'randomized');
    const exact = await solve(x, 4, 'exact');
    const covariance = await solve(x, 4, 'randomized', 'covariance');
    expect([direct.method, exact.method]).toEqual(['direct', 'gram']);
    expectSamePca(direct, exact, x, 1e-4);
    expectSamePca(direct, covariance, x, 1e-4);
    // With fewer samples than features the randomized solver normalises signs by the components (as scikit-learn).
    for (let c = 0; c < 4; c++) {
      const row = Array.from(direct.components.subarray(c * 500, (c + 1) * 500));
      const largest = row.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('is deterministic for a seed', async () => {
    const x = lowRankPlusNoise(30, 200, 3, 0.2, 2);
    const a = await solve(x, 3, 'randomized', 'direct', 5);
    const b = await solve(x, 3, 'randomized', 'direct', 5);
    expect(Array.from(a.components)).toEqual(Array.from(b.components));
  });
});
