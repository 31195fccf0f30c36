import type { Matrix } from '@latentkit/core';

/**
 * The n×d rows of x as a d×n float64 column block (column j at [j·n, (j+1)·n)). The batched EM kernels
 * stream one coordinate of many rows at a time from here; the float32 → float64 copy is exact.
 */
export function columnsOf(x: Matrix): Float64Array {
  const { rows: n, cols: d, data } = x;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) out[j * n + i] = data[o + j]!;
  }
  return out;
}
