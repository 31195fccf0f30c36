import { createRng, type Matrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { flipSignsByScores } from './sign-flip.js';

/** The rule written plainly: for each component, the sample with the largest |score| (first on ties) scores positive. */
function referenceFlip(x: Matrix, mean: Float64Array, components: Float64Array, k: number): Float64Array {
  const { rows: n, cols: D, data } = x;
  const out = components.slice();
  for (let c = 0; c < k; c++) {
    let best = -1, signed = 0;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += (data[r * D + j]! - mean[j]!) * components[c * D + j]!;
      if (Math.abs(s) > best) {
        best = Math.abs(s);
        signed = s;
      }
    }
    if (signed < 0) for (let j = 0; j < D; j++) out[c * D + j] = -out[c * D + j]!;
  }
  return out;
}

describe('flipSignsByScores (WebAssembly SIMD scores)', () => {
  // k = 16: two eight-wide groups; 11: one group and the pairs left over (padded to 12); 1: a pair only.
  it.each([16, 11, 1])('flips exactly the components the plain rule flips (k = %i)', async (k) => {
    const rng = createRng(k);
    // 301 rows: pairs of rows, then a last row alone.
    const n = 301, D = 29;
    // Sparse data (zeros are half the entries, as in images), so both the zero and the non-zero paths run.
    const data = Float32Array.from({ length: n * D }, () => (rng.next() < 0.5 ? 0 : Math.fround(rng.normal())));
    const x: Matrix = { rows: n, cols: D, data };
    const mean = Float64Array.from({ length: D }, () => rng.normal() * 0.1);
    const components = Float64Array.from({ length: k * D }, () => rng.normal());
    const flipped = components.slice();
    await flipSignsByScores(x, mean, flipped, k);
    const expected = referenceFlip(x, mean, components, k);
    expect(Array.from(flipped)).toEqual(Array.from(expected));
    // Some components change sign and some keep it, or the test could not tell a broken rule from a fixed one.
    const changed = Array.from({ length: k }, (_, c) => flipped[c * D] !== components[c * D]);
    if (k > 8) expect(new Set(changed).size).toBe(2);
  });
});
