import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import type { SearchStats } from './block-search.js';
import { nearestRows, trainingRows } from './neighbors.js';
import { SelfSearch } from './self-search.js';

describe('SelfSearch', () => {
  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`gives every training row the scalar search's neighbours, each pair scored once (${metric})`, () => {
      // 150 rows: two full 64-row blocks and a short one; values on a 1/8 grid so distances tie; duplicates.
      const rng = createRng(5);
      const n = 150, d = 21, k = 7;
      const data = Float32Array.from({ length: n * d }, () => Math.round(rng.normal() * 3) / 8);
      for (const i of [64, 100, 149]) data.copyWithin(i * d, 3 * d, 4 * d);
      const train = trainingRows(data, n, d, metric);
      const search = new SelfSearch(train, k);
      expect(search.fits).toBe(true);
      search.scan(0, 128);
      search.scan(128, n - 128);
      const stats: SearchStats = { scalar: 0 };
      const got = [...search.settle(0, 100, stats), ...search.settle(100, n - 100, stats)];
      for (let i = 0; i < n; i++) {
        const want = nearestRows(train, data.subarray(i * d, (i + 1) * d), k);
        expect(Array.from(got[i]!.index)).toEqual(Array.from(want.index));
        expect(Array.from(got[i]!.distance)).toEqual(Array.from(want.distance));
      }
      // The candidates settle nearly every row without the scalar scan.
      expect(stats.scalar).toBeLessThan(n / 10);
    });
  }
});
