import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { matrixTimes } from './matrix-times.js';

/** C·Y with a plain loop: each entry summed over j in order. */
function naiveTimes(c: Float64Array, rows: number, cols: number, y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(rows * l);
  for (let i = 0; i < rows; i++) {
    for (let a = 0; a < l; a++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += c[i * cols + j]! * y[j * l + a]!;
      out[i * l + a] = s;
    }
  }
  return out;
}

function gaussian(length: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
}

describe('matrixTimes (WebAssembly SIMD kernel)', () => {
  // l = 26: three eight-wide groups and one pair; 9 and 3: odd widths (padded); 1: a single column.
  it.each([
    { rows: 40, cols: 37, l: 26 },
    { rows: 5, cols: 64, l: 9 },
    { rows: 17, cols: 3, l: 3 },
    { rows: 1, cols: 1, l: 1 },
  ])('equals the plain loop bit for bit ($rows×$cols times $cols×$l)', ({ rows, cols, l }) => {
    const c = gaussian(rows * cols, rows + cols);
    const y = gaussian(cols * l, l);
    expect(Array.from(matrixTimes(c, rows, cols, y, l))).toEqual(Array.from(naiveTimes(c, rows, cols, y, l)));
  });

  it('gives the same result when C is copied in several row blocks (wide rows)', () => {
    // 8192 columns: 64 rows per 4 MiB block, so 70 rows take two blocks.
    const rows = 70, cols = 8192, l = 5;
    const c = gaussian(rows * cols, 1);
    const y = gaussian(cols * l, 2);
    expect(Array.from(matrixTimes(c, rows, cols, y, l))).toEqual(Array.from(naiveTimes(c, rows, cols, y, l)));
  });
});
