import { createRng, type Matrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { centredGram, centredSumOfSquares, centredTimes, columnMeans, GRAM_BLOCK_BYTES, gramBlockRows, transposeTimesCentred } from './centred-rows.js';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return { data: Float32Array.from({ length: rows * cols }, (_, i) => rng.normal() * 2 + (i % cols)), rows, cols };
}

/** Xc as a plain float64 array, the straightforward way. */
function centred(x: Matrix): Float64Array {
  const mean = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < x.cols; j++) mean[j]! += x.data[r * x.cols + j]! / x.rows;
  return Float64Array.from(x.data, (v, i) => v - mean[i % x.cols]!);
}

function expectClose(actual: Float64Array, expected: Float64Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!), `entry ${i}`).toBeLessThan(tolerance * scale);
}

describe('products with the centred data', () => {
  const x = randomMatrix(23, 17, 3);
  const xc = centred(x);
  const mean = columnMeans(x);

  it('Xc·Mᵀ, Qᵀ·Xc and the sum of squares match a plain float64 reference', () => {
    const l = 5, rng = createRng(9);
    const m = Float64Array.from({ length: l * x.cols }, () => rng.normal()); // l rows of length D
    const q = Float64Array.from({ length: x.rows * l }, () => rng.normal()); // n×l
    const xm = new Float64Array(x.rows * l), qtx = new Float64Array(l * x.cols);
    for (let r = 0; r < x.rows; r++) for (let j = 0; j < x.cols; j++) for (let a = 0; a < l; a++) {
      xm[r * l + a]! += xc[r * x.cols + j]! * m[a * x.cols + j]!;
      qtx[a * x.cols + j]! += q[r * l + a]! * xc[r * x.cols + j]!;
    }
    expectClose(centredTimes(x, mean, m, l), xm, 1e-12);
    // The output buffer is overwritten, not added to.
    expectClose(transposeTimesCentred(x, mean, q, l, new Float64Array(l * x.cols).fill(7)), qtx, 1e-12);
    expect(centredSumOfSquares(x, mean)).toBeCloseTo(xc.reduce((s, v) => s + v * v, 0), 8);
  });

  it('the Gram matrix Xc·Xcᵀ is the same whatever the row block (one, several, a partial last one)', async () => {
    const g = new Float64Array(x.rows * x.rows);
    for (let a = 0; a < x.rows; a++) for (let b = 0; b < x.rows; b++) for (let j = 0; j < x.cols; j++) g[a * x.rows + b]! += xc[a * x.cols + j]! * xc[b * x.cols + j]!;
    expect(gramBlockRows(x.rows, x.cols)).toBe(x.rows);
    expectClose(await centredGram(x, mean), g, 1e-12);
    for (const blockRows of [1, 2, 5, 22]) expectClose(await centredGram(x, mean, undefined, blockRows), g, 1e-12);
    // Wide rows get small blocks: 16 MiB of centred rows at most.
    expect(gramBlockRows(100, GRAM_BLOCK_BYTES / 16)).toBe(2);
    expect(gramBlockRows(100, 10 * GRAM_BLOCK_BYTES)).toBe(1);
  });
});
