import { describe, expect, it } from 'vitest';
import { assertFinite, concatRows, createMatrix, mapRowBatches, selectRows, sliceRows } from './matrix.js';

describe('matrix helpers', () => {
  const m = createMatrix(3, 2, [1, 2, 3, 4, 5, 6]);
  it('slices, selects and concatenates rows', () => {
    expect(Array.from(sliceRows(m, 1, 3).data)).toEqual([3, 4, 5, 6]);
    expect(Array.from(selectRows(m, [2, 0]).data)).toEqual([5, 6, 1, 2]);
    expect(concatRows([m, m]).rows).toBe(6);
  });
  it('rejects data of the wrong length and non-finite values', () => {
    expect(() => createMatrix(2, 2, [1, 2, 3])).toThrow(/expected 2×2 = 4/);
    expect(() => assertFinite(createMatrix(1, 2, [1, NaN]))).toThrow(/row 0, column 1/);
  });
  it('mapRowBatches equals a single pass', async () => {
    const doubled = await mapRowBatches(m, 2, 2, (b) => createMatrix(b.rows, 2, b.data.map((v) => v * 2)));
    expect(Array.from(doubled.data)).toEqual([2, 4, 6, 8, 10, 12]);
  });
});
