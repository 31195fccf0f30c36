import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { nearestRowsBlock, type SearchStats } from './block-search.js';
import { nearestRows, trainingRows } from './neighbors.js';
import { SelfSearch } from './self-search.js';

/** Rounded to 1/8 so that many distances tie exactly; some rows duplicated, some all zero. */
function tiedRows(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const data = Float32Array.from({ length: n * d }, () => Math.round(rng.normal() * 2) / 8);
  for (let i = 3; i < n; i += 7) data.copyWithin(i * d, (i - 3) * d, (i - 2) * d); // duplicate rows
  data.fill(0, 5 * d, 6 * d); // an all-zero row
  return data;
}

/** Checks every query against the scalar search; returns how many the blocked search had to hand to it. */
function expectSameAsScalar(train: ReturnType<typeof trainingRows>, queries: Float32Array, count: number, k: number): number {
  const stats: SearchStats = { scalar: 0 };
  const got = nearestRowsBlock(train, queries, count, k, stats);
  expect(got).toHaveLength(count);
  for (let i = 0; i < count; i++) {
    const want = nearestRows(train, queries.subarray(i * train.cols, (i + 1) * train.cols), k);
    expect(Array.from(got[i]!.index)).toEqual(Array.from(want.index));
    // Bit-identical: the candidates are re-ranked with the scalar search's own sums.
    expect(Array.from(got[i]!.distance)).toEqual(Array.from(want.distance));
  }
  return stats.scalar;
}

describe('nearestRowsBlock', () => {
  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`gives the scalar search's neighbours with planted ties, duplicates and a zero row (${metric})`, () => {
      const n = 203, d = 37, k = 9; // neither a multiple of the kernel's 4-row tiles nor of 4 features
      const data = tiedRows(n, d, 1);
      const train = trainingRows(data, n, d, metric);
      const queries = tiedRows(70, d, 2); // more than one 64-row query block, odd in the last
      queries.set(data.subarray(10 * d, 11 * d), 4 * d); // a query equal to a training row (and to its duplicates)
      queries.fill(0, 6 * d, 7 * d); // a zero query
      // Ties at the cut send some queries to the scalar scan, but most are settled by the kernel's candidates.
      const scalar = expectSameAsScalar(train, queries, 70, k);
      expect(scalar).toBeLessThan(35);
    });
  }

  it('matches on continuous data at block boundaries: 1 query, 65 queries, k above the candidate margin', () => {
    const rng = createRng(3);
    const n = 129, d = 64;
    const data = Float32Array.from({ length: n * d }, () => rng.normal());
    const train = trainingRows(data, n, d, 'euclidean');
    const queries = Float32Array.from({ length: 65 * d }, () => rng.normal());
    // Continuous data has no near-ties at the cut: every query is settled by the kernel's candidates.
    expect(expectSameAsScalar(train, queries, 1, 5)).toBe(0);
    expect(expectSameAsScalar(train, queries, 65, 40)).toBe(0);
  });

  it('hands a query whose cut falls inside a tie wider than its candidates to the scalar scan, with the same result', () => {
    // 40 copies of one row: the query's 5 nearest are 5 of 40 rows at one distance, more than k + 16 candidates.
    const d = 6;
    const data = new Float32Array(60 * d);
    for (let i = 0; i < 60; i++) data.fill(i < 40 ? 1 : 5 + i, i * d, (i + 1) * d);
    const train = trainingRows(data, 60, d, 'euclidean');
    expect(expectSameAsScalar(train, new Float32Array(d).fill(0.5), 1, 5)).toBe(1);
  });

  it('searches training rows in more than one kernel chunk (over 65,536 rows) with the same result', () => {
    const rng = createRng(6);
    const n = 70_001, d = 3; // not a multiple of 4 rows or features; chunks of 65,536 rows
    const data = Float32Array.from({ length: n * d }, () => rng.normal());
    data.copyWithin(69_000 * d, 10 * d, 11 * d); // the same row in both chunks
    const train = trainingRows(data, n, d, 'euclidean');
    const queries = Float32Array.from({ length: 5 * d }, () => rng.normal());
    queries.set(data.subarray(10 * d, 11 * d), 0);
    expect(expectSameAsScalar(train, queries, 5, 10)).toBe(0);
    expect(new SelfSearch(train, 10).fits).toBe(false);
  });

  it('pads with -1 and Infinity when k exceeds the training rows, like the scalar search', () => {
    const data = Float32Array.from([0, 0, 3, 4]);
    const got = nearestRowsBlock(trainingRows(data, 2, 2, 'euclidean'), Float32Array.from([0, 0]), 1, 3);
    expect(Array.from(got[0]!.index)).toEqual([0, 1, -1]);
    expect(Array.from(got[0]!.distance)).toEqual([0, 5, Infinity]);
  });

  it('refuses a k that is not a positive integer', () => {
    const train = trainingRows(Float32Array.from([0, 1]), 1, 2, 'euclidean');
    expect(() => nearestRowsBlock(train, Float32Array.from([0, 0]), 1, 0)).toThrow('umap neighbour search: k must be an integer ≥ 1, got 0');
  });
});
