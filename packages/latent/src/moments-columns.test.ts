import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { randomRows, referenceMoments } from './__fixtures__/gmm-reference.js';
import { columnsOf } from './columns.js';
import { weightedMoments } from './moments.js';
import { momentsScratch, weightedMomentsOfColumns } from './moments-columns.js';

function expectClose(got: Float64Array, want: Float64Array, scale: number): void {
  expect(got.length).toBe(want.length);
  for (let e = 0; e < want.length; e++) expect(Math.abs(got[e]! - want[e]!)).toBeLessThanOrEqual(1e-12 * scale);
}

describe('weightedMomentsOfColumns', () => {
  // d odd and even (2×4 tiles, 2×2 diagonal blocks, the lone last row), n over several 128-row blocks.
  for (const { n, d } of [{ n: 300, d: 5 }, { n: 130, d: 16 }, { n: 3, d: 2 }]) {
    it(`equals the per-row two-pass formula (n=${n}, d=${d}), full and diagonal`, () => {
      const x = createMatrix(n, d, randomRows(n, d, n + d, 2, 3));
      // Responsibility-like weights: some rows exactly 0, a block of k=3 columns with this one second.
      const k = 3;
      const resp = new Float64Array(k * n);
      for (let i = 0; i < n; i++) resp[n + i] = i % 5 === 0 ? 0 : ((i * 7919) % 101) / 101;
      const w = resp.subarray(n, 2 * n);
      const want = referenceMoments(x.data, n, d, w);
      const scratch = momentsScratch(d);
      const full = weightedMomentsOfColumns(columnsOf(x), n, d, 'full', resp, n, scratch);
      expect(Math.abs(full.total - want.total)).toBeLessThanOrEqual(1e-12 * want.total);
      expectClose(full.mean, want.mean, 3);
      expectClose(full.covariance, want.cov, 4);
      for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) expect(full.covariance[a * d + b]).toBe(full.covariance[b * d + a]);

      const diagonal = weightedMomentsOfColumns(columnsOf(x), n, d, 'diagonal', resp, n, scratch);
      const wantDiagonal = want.cov.map((v, e) => (e % (d + 1) === 0 ? v : 0));
      expectClose(diagonal.covariance, wantDiagonal, 4);
    });
  }

  it('keeps a near-singular covariance accurate: codes on a line far from the origin', () => {
    const n = 200, d = 4;
    const t = randomRows(n, 1, 11);
    const noise = randomRows(n, d, 12, 1e-4);
    const rows = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) rows[i * d + j] = 1000 + (j + 1) * t[i]! + noise[i * d + j]!;
    const x = createMatrix(n, d, rows);
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3) / 4);
    const want = referenceMoments(x.data, n, d, w);
    const got = weightedMomentsOfColumns(columnsOf(x), n, d, 'full', w);
    expectClose(got.covariance, want.cov, 16);
    // Across the line (u ⟂ (1, 2, 3, 4)) only the 1e-4 noise (and float32 rounding) is left: uᵀΣu ≈
    // 1e-8·|u|² = 5e-8, eight orders below the entries; the centred two-pass sums keep it to 1%.
    const u = [2, -1, 0, 0];
    const across = (c: Float64Array) => u.reduce((s, ua, a) => s + u.reduce((t, ub, b) => t + ua * c[a * d + b]! * ub, 0), 0);
    expect(across(want.cov)).toBeGreaterThan(2e-8);
    expect(across(want.cov)).toBeLessThan(1e-7);
    expect(Math.abs(across(got.covariance) - across(want.cov))).toBeLessThan(1e-2 * across(want.cov));
  });

  it('with mostly-zero weights (hard labels) equals the moments of the weighted rows alone, exactly', () => {
    const n = 400, d = 6;
    const x = createMatrix(n, d, randomRows(n, d, 21, 1, -2));
    const w = Float64Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 1 : 0));
    const picked = createMatrix(Math.floor(n / 3), d);
    let r = 0;
    for (let i = 0; i < n; i++) if (w[i] === 1) picked.data.set(x.data.subarray(i * d, (i + 1) * d), d * r++);
    expect(r).toBe(picked.rows);
    const got = weightedMomentsOfColumns(columnsOf(x), n, d, 'full', w);
    const alone = weightedMomentsOfColumns(columnsOf(picked), picked.rows, d, 'full');
    expect(got.total).toBe(alone.total);
    expect(Array.from(got.mean)).toEqual(Array.from(alone.mean));
    expect(Array.from(got.covariance)).toEqual(Array.from(alone.covariance));
    expectClose(got.covariance, referenceMoments(x.data, n, d, w).cov, 1);
  });

  it('weightedMoments (rows, strided weights) gives the same moments', () => {
    const n = 150, d = 3, k = 2;
    const x = createMatrix(n, d, randomRows(n, d, 5));
    const resp = Float64Array.from({ length: n * k }, (_, e) => (e % k === 1 ? (e % 7) / 7 : 1 - (e % 7) / 7));
    const w = Float64Array.from({ length: n }, (_, i) => resp[i * k + 1]!);
    const byRows = weightedMoments(x, 'full', resp, k, 1);
    const want = referenceMoments(x.data, n, d, w);
    expectClose(byRows.covariance, want.cov, 1);
    expectClose(weightedMoments(x, 'full').mean, referenceMoments(x.data, n, d, new Float64Array(n).fill(1)).mean, 1);
  });
});
