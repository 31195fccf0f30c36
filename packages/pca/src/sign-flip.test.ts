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

  // Component 0 is (1, 2^-30, 0, …): row 40 = (50, 0, …) scores exactly 50 and row 4900 = (−50, −a, …) scores
  // −(50 + a·2^-30). Float32 rounds both to 50, so the screening cannot tell them apart; float64 must decide.
  it.each([
    { a: 1, flips: true },
    { a: -1, flips: false },
    { a: 0, flips: false },
  ])('decides near-ties in float64 as the plain rule does (a = $a)', async ({ a, flips }) => {
    const rng = createRng(5);
    const [n, D, k] = [5000, 31, 3];
    const data = Float32Array.from({ length: n * D }, () => Math.fround(rng.normal() * 0.1));
    data.fill(0, 40 * D, 41 * D);
    data[40 * D] = 50;
    data.fill(0, 4900 * D, 4901 * D);
    data[4900 * D] = -50;
    data[4900 * D + 1] = -a;
    const x: Matrix = { rows: n, cols: D, data };
    const mean = new Float64Array(D);
    const components = Float64Array.from({ length: k * D }, () => rng.normal());
    components.fill(0, 0, D);
    components[0] = 1;
    components[1] = 2 ** -30;
    const flipped = components.slice();
    await flipSignsByScores(x, mean, flipped, k);
    const expected = referenceFlip(x, mean, components, k);
    expect(Array.from(flipped)).toEqual(Array.from(expected));
    expect(flipped[0]).toBe(flips ? -1 : 1);
  });

  it('decides when every row ties (identical rows, past one block of candidates) as the plain rule does', async () => {
    const [n, D, k] = [9000, 5, 3];
    const data = new Float32Array(n * D);
    for (let r = 0; r < n; r++) data.set([0.5, -1, 2, 0, 3], r * D);
    const x: Matrix = { rows: n, cols: D, data };
    const mean = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5);
    const components = Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, -1, 1, -1);
    const flipped = components.slice();
    await flipSignsByScores(x, mean, flipped, k);
    const expected = referenceFlip(x, mean, components, k);
    expect(Array.from(flipped)).toEqual(Array.from(expected));
    // Scores 0.4, −1.2 and −4.6 on every row: the second and third components flip.
    expect(Array.from(flipped.subarray(0, 2 * D))).toEqual([1, 0, 0, 0, 0, -0, -1, -0, -0, -0]);
  });

  it('scores data too large for float32 bounds in float64, with the same outcome', async () => {
    const rng = createRng(11);
    const [n, D, k] = [600, 9, 4];
    const data = Float32Array.from({ length: n * D }, () => Math.fround(rng.normal() * 1e25));
    const x: Matrix = { rows: n, cols: D, data };
    const mean = Float64Array.from({ length: D }, () => rng.normal() * 1e24);
    const components = Float64Array.from({ length: k * D }, () => rng.normal());
    const flipped = components.slice();
    await flipSignsByScores(x, mean, flipped, k);
    expect(Array.from(flipped)).toEqual(Array.from(referenceFlip(x, mean, components, k)));
  });
});
