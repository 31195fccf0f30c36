import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { orthonormalizeRows } from './orthonormalize.js';

function gramOfRows(v: Float64Array, k: number, D: number): number[][] {
  return Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => {
    let s = 0;
    for (let j = 0; j < D; j++) s += v[a * D + j]! * v[b * D + j]!;
    return s;
  }));
}

describe('orthonormalizeRows', () => {
  it('makes rows orthonormal, keeps the first row’s direction, and completes zero or dependent rows', () => {
    const k = 4, D = 9, rng = createRng(5);
    const v = Float64Array.from({ length: k * D }, () => rng.normal());
    const first = v.slice(0, D);
    v.fill(0, D, 2 * D); // a zero row (an axis the data does not define)
    for (let j = 0; j < D; j++) v[3 * D + j] = 2 * v[j]! - v[2 * D + j]!; // in the span of rows 0 and 2
    orthonormalizeRows(v, k, D);
    const g = gramOfRows(v, k, D);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) expect(Math.abs(g[a]![b]! - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    const norm = Math.hypot(...first);
    for (let j = 0; j < D; j++) expect(v[j]).toBeCloseTo(first[j]! / norm, 12);
  });
});
