import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { randomCovariance, randomRows, referenceCholesky, referenceMahalanobisSq } from './__fixtures__/gmm-reference.js';
import { columnsOf } from './columns.js';
import { mahalanobisSq } from './linalg.js';
import { whitenedSquaredNorms } from './whiten-batch.js';

describe('whitenedSquaredNorms', () => {
  // Odd and even d (the 2-output tiles and the lone last output), n not a multiple of the 4-row tile,
  // and a near-singular covariance (smallest eigenvalue 1e-10) whose whitening amplifies rounding.
  const cases = [
    { d: 1, n: 5, smallest: 1 },
    { d: 3, n: 33, smallest: 0.1 },
    { d: 16, n: 37, smallest: 0.01 },
    { d: 7, n: 22, smallest: 1e-10 },
  ];
  for (const { d, n, smallest } of cases) {
    it(`equals the per-row forward substitution (d=${d}, n=${n}, smallest eigenvalue ${smallest})`, () => {
      const l = referenceCholesky(randomCovariance(d, d, smallest), d);
      const mean = Float64Array.from(randomRows(1, d, 100 + d, 2));
      const x = createMatrix(n, d, randomRows(n, d, 200 + d, 1.5, 0.5));
      const out = new Float64Array(n + 3).fill(-1);
      whitenedSquaredNorms(l, d, mean, columnsOf(x), n, out, 2);
      expect(out[0]).toBe(-1);
      expect(out[n + 2]).toBe(-1);
      const work = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const row = x.data.subarray(i * d, (i + 1) * d);
        const want = referenceMahalanobisSq(l, d, row, mean);
        expect(Math.abs(out[2 + i]! - want)).toBeLessThanOrEqual(1e-12 * want);
        // Bit for bit the row-at-a-time kernel it replaces: same steps in the same order.
        const centred = Float64Array.from(row, (v, j) => v - mean[j]!);
        expect(out[2 + i]).toBe(mahalanobisSq(l, d, centred, work));
      }
    });
  }
});
