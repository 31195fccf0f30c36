import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { nearestRows, trainingRows } from './neighbors.js';

const random = (n: number, d: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => rng.normal());
};

/** Every distance by brute force, sorted (stable, so ties keep the lower index). */
function bruteForce(data: Float32Array, n: number, d: number, q: Float32Array, metric: 'euclidean' | 'cosine') {
  const all = Array.from({ length: n }, (_, j) => {
    const row = data.subarray(j * d, (j + 1) * d);
    if (metric === 'euclidean') return { j, dist: Math.sqrt(row.reduce((s, v, t) => s + (v - q[t]!) ** 2, 0)) };
    const dot = row.reduce((s, v, t) => s + v * q[t]!, 0);
    const nr = Math.hypot(...row), nq = Math.hypot(...q);
    return { j, dist: 1 - dot / (nr * nq) };
  });
  return all.sort((a, b) => a.dist - b.dist);
}

describe('nearestRows', () => {
  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`finds exactly the k nearest training rows (${metric})`, () => {
      const n = 300, d = 70, k = 12;
      const data = random(n, d, 1);
      const train = trainingRows(data, n, d, metric);
      const queries = random(20, d, 2);
      for (let i = 0; i < 20; i++) {
        const q = queries.subarray(i * d, (i + 1) * d);
        const want = bruteForce(data, n, d, q, metric).slice(0, k);
        const got = nearestRows(train, q, k);
        expect(Array.from(got.index)).toEqual(want.map((w) => w.j));
        for (let j = 0; j < k; j++) expect(got.distance[j]).toBeCloseTo(want[j]!.dist, 9);
      }
    });
  }

  it('breaks ties by the lower row index and gives a row its own distance 0', () => {
    // Rows 0, 2 and 3 are identical; row 1 is far.
    const data = Float32Array.from([1, 1, 9, 9, 1, 1, 1, 1]);
    const got = nearestRows(trainingRows(data, 4, 2, 'euclidean'), Float32Array.from([1, 1]), 3);
    expect(Array.from(got.index)).toEqual([0, 2, 3]);
    expect(Array.from(got.distance)).toEqual([0, 0, 0]);
  });

  it("follows umap-js's cosine rules for all-zero rows", () => {
    const data = Float32Array.from([0, 0, 1, 0]);
    const zero = nearestRows(trainingRows(data, 2, 2, 'cosine'), Float32Array.from([0, 0]), 2);
    expect(Array.from(zero.distance)).toEqual([0, 1]);
  });
});
