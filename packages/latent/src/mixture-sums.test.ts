import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { randomRows } from './__fixtures__/gmm-reference.js';
import { columnsOf } from './columns.js';
import { mixtureColumnSums } from './mixture-sums.js';

describe('mixtureColumnSums', () => {
  // Odd k and d not a multiple of 4: the clamped groups that repeat the last component and column.
  for (const { k, d } of [{ k: 3, d: 6 }, { k: 4, d: 8 }, { k: 1, d: 1 }]) {
    it(`equals Σ_i r[c, i]·x[i, j] summed row by row (k=${k}, d=${d})`, () => {
      const n = 37;
      const x = createMatrix(n, d, randomRows(n, d, k * 10 + d, 3, 1));
      const resp = Float64Array.from(randomRows(k, n, 99), (v) => Math.abs(v));
      const sums = mixtureColumnSums(columnsOf(x), n, d, resp, k);
      expect(sums.length).toBe(k * d);
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) {
          let want = 0;
          for (let i = 0; i < n; i++) want += resp[c * n + i]! * x.data[i * d + j]!;
          expect(sums[c * d + j]).toBe(want);
        }
      }
    });
  }
});
