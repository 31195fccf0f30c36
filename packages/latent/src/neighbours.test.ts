import { createMatrix, createRng, type LatentkitError, type Matrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from './neighbours.js';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return createMatrix(rows, cols, Float32Array.from({ length: rows * cols }, () => rng.normal()));
}

/** Sorts every reference row by directly computed distance: the obvious, slow answer. */
function bruteForce(q: Matrix, r: Matrix, k: number): { indices: number[]; distances: number[] } {
  const indices: number[] = [];
  const distances: number[] = [];
  for (let i = 0; i < q.rows; i++) {
    const all = Array.from({ length: r.rows }, (_, j) => {
      let s = 0;
      for (let c = 0; c < q.cols; c++) s += (q.data[i * q.cols + c]! - r.data[j * r.cols + c]!) ** 2;
      return { j, s };
    }).sort((a, b) => a.s - b.s || a.j - b.j);
    for (const { j, s } of all.slice(0, k)) {
      indices.push(j);
      distances.push(s);
    }
  }
  return { indices, distances };
}

describe('nearestNeighbours', () => {
  it.each([1, 3])('equals brute force on random data (k = %i)', (k) => {
    // 37 queries exercise the four-query tiles and the leftover query; 301 rows span several blocks
    // and leave an odd reference row for the 4 × 1 tile.
    const q = randomMatrix(37, 20, 1);
    const r = randomMatrix(301, 20, 2);
    const got = nearestNeighbours(q, r, k);
    const want = bruteForce(q, r, k);
    expect(Array.from(got.indices)).toEqual(want.indices);
    got.distances.forEach((d, i) => expect(d).toBeCloseTo(want.distances[i]!, 10));
  });

  it('finds an exact copy at distance 0', () => {
    const r = randomMatrix(500, 64, 3);
    const picks = [0, 129, 257, 499, 3];
    const q = createMatrix(picks.length, 64);
    picks.forEach((p, i) => q.data.set(r.data.subarray(p * 64, (p + 1) * 64), i * 64));
    const got = nearestNeighbours(q, r, 2);
    picks.forEach((p, i) => {
      expect(got.indices[2 * i]).toBe(p);
      expect(got.distances[2 * i]).toBe(0);
      expect(got.distances[2 * i + 1]).toBeGreaterThan(0);
    });
  });

  it('keeps the earlier row on ties and accepts k = all rows', () => {
    expect(Array.from(nearestNeighbours(createMatrix(1, 1, [0]), createMatrix(2, 1, [1, -1]), 1).indices)).toEqual([0]);
    const r = createMatrix(3, 1, [1, -1, 1]);
    const got = nearestNeighbours(createMatrix(1, 1, [0]), r, 3);
    expect(Array.from(got.indices)).toEqual([0, 1, 2]);
    expect(Array.from(got.distances)).toEqual([1, 1, 1]);
  });

  it('refuses bad k and mismatched widths', () => {
    const r = randomMatrix(4, 2, 1);
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as LatentkitError;
      }
      return undefined;
    };
    expect(err(() => nearestNeighbours(randomMatrix(1, 2, 0), r, 5))?.message).toMatch(/k must be an integer in \[1, 4\]/);
    expect(err(() => nearestNeighbours(randomMatrix(1, 2, 0), r, 0))?.code).toBe('E_OPTION');
    expect(err(() => nearestNeighbours(randomMatrix(1, 3, 0), r))?.code).toBe('E_SHAPE');
  });
});
