import type { Matrix } from '@latentkit/core';

/**
 * Products with the centred data Xc = X − 1·meanᵀ that never form Xc: each row is centred into a float64
 * buffer of length D as it is used, so the extra memory is O(D) (a block of rows for the Gram matrix).
 * All sums are float64.
 */

/** Column means in float64. */
export function columnMeans(x: Matrix): Float64Array {
  const { rows: n, cols: D, data } = x;
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    const o = r * D;
    for (let j = 0; j < D; j++) mean[j] = mean[j]! + data[o + j]!;
  }
  for (let j = 0; j < D; j++) mean[j] = mean[j]! / n;
  return mean;
}

/** Row r of Xc into out (length D). */
export function centredRow(x: Matrix, mean: Float64Array, r: number, out: Float64Array): Float64Array {
  const D = x.cols, o = r * D, data = x.data;
  for (let j = 0; j < D; j++) out[j] = data[o + j]! - mean[j]!;
  return out;
}

/** Sum of the squared entries of Xc (the trace of XcᵀXc). */
export function centredSumOfSquares(x: Matrix, mean: Float64Array): number {
  const row = new Float64Array(x.cols);
  let total = 0;
  for (let r = 0; r < x.rows; r++) {
    centredRow(x, mean, r, row);
    for (let j = 0; j < x.cols; j++) total += row[j]! * row[j]!;
  }
  return total;
}

/** Xc·Mᵀ for M given as l rows of length D (l×D, row-major): n×l, row-major. `row`: a reusable length-D buffer. */
export function centredTimes(x: Matrix, mean: Float64Array, m: Float64Array, l: number, row = new Float64Array(x.cols)): Float64Array {
  const { rows: n, cols: D } = x;
  const out = new Float64Array(n * l);
  for (let r = 0; r < n; r++) {
    centredRow(x, mean, r, row);
    for (let a = 0; a < l; a++) {
      const o = a * D;
      let s = 0;
      for (let j = 0; j < D; j++) s += row[j]! * m[o + j]!;
      out[r * l + a] = s;
    }
  }
  return out;
}

/** Qᵀ·Xc for Q (n×l, row-major), written into out as l rows of length D (l×D, row-major; overwritten). */
export function transposeTimesCentred(x: Matrix, mean: Float64Array, q: Float64Array, l: number, out: Float64Array, row = new Float64Array(x.cols)): Float64Array {
  const { rows: n, cols: D } = x;
  out.fill(0, 0, l * D);
  for (let r = 0; r < n; r++) {
    centredRow(x, mean, r, row);
    for (let a = 0; a < l; a++) {
      const w = q[r * l + a]!;
      if (w === 0) continue;
      const o = a * D;
      for (let j = 0; j < D; j++) out[o + j] = out[o + j]! + w * row[j]!;
    }
  }
  return out;
}

/** Bytes the centred-row block of centredGram may use: small next to the n×n result, large enough to amortise re-centring. */
export const GRAM_BLOCK_BYTES = 16 * 2 ** 20;

/** Rows per block of centredGram for D columns. */
export function gramBlockRows(n: number, D: number): number {
  return Math.max(1, Math.min(n, Math.floor(GRAM_BLOCK_BYTES / (8 * D))));
}

/** Rows of the Gram matrix between two calls of centredGram's pacer. */
const GRAM_PACE_ROWS = 64;

/**
 * The Gram matrix Xc·Xcᵀ (n×n, row-major, both triangles). A block of centred rows is kept while every later
 * row is centred once per block and dotted with it. `pace` (given the fraction of the work done) is awaited
 * every few rows, so a long pass can be cancelled.
 */
export async function centredGram(
  x: Matrix,
  mean: Float64Array,
  pace?: (fraction: number) => Promise<void>,
  blockRows = gramBlockRows(x.rows, x.cols),
): Promise<Float64Array> {
  const { rows: n, cols: D } = x;
  const g = new Float64Array(n * n);
  const block = new Float64Array(blockRows * D);
  const row = new Float64Array(D);
  // Work done, in row pairs: block rows [start, start+count) against rows s ≥ start.
  let pairs = 0;
  const totalPairs = (n * (n + 1)) / 2;
  for (let start = 0; start < n; start += blockRows) {
    const count = Math.min(blockRows, n - start);
    for (let b = 0; b < count; b++) centredRow(x, mean, start + b, block.subarray(b * D, (b + 1) * D));
    for (let s = start; s < n; s++) {
      const other = s < start + count ? block.subarray((s - start) * D, (s - start + 1) * D) : centredRow(x, mean, s, row);
      const upTo = Math.min(count, s - start + 1);
      for (let b = 0; b < upTo; b++) {
        const o = b * D;
        let dot = 0;
        for (let j = 0; j < D; j++) dot += block[o + j]! * other[j]!;
        g[(start + b) * n + s] = dot;
        g[s * n + start + b] = dot;
      }
      pairs += upTo;
      if (pace && (s - start) % GRAM_PACE_ROWS === GRAM_PACE_ROWS - 1) await pace(pairs / totalPairs);
    }
  }
  return g;
}
