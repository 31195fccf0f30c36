import { createRng, LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { knnGraph } from './knn-graph.js';
import { nearestRows, trainingRows } from './neighbors.js';

/** 150 rows (more than one search batch) in 12-D, with rows 0, 40, 80 and 120 identical. */
function rowsWithDuplicates(): Float32Array {
  const rng = createRng(4);
  const d = 12;
  const data = Float32Array.from({ length: 150 * d }, () => rng.normal());
  for (const i of [40, 80, 120]) data.copyWithin(i * d, 0, d);
  return data;
}

describe('knnGraph', () => {
  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`lists each row itself first at distance 0, then its exact nearest others (${metric})`, async () => {
      const data = rowsWithDuplicates();
      const train = trainingRows(data, 150, 12, metric);
      const k = 6;
      const graph = await knnGraph(train, k);
      expect(graph.knnIndices).toHaveLength(150);
      for (let i = 0; i < 150; i++) {
        const scalar = nearestRows(train, data.subarray(i * 12, (i + 1) * 12), k + 1);
        const others = Array.from(scalar.index, (j, p) => ({ j, d: scalar.distance[p]! })).filter((o) => o.j !== i).slice(0, k - 1);
        expect(graph.knnIndices[i]).toEqual([i, ...others.map((o) => o.j)]);
        expect(graph.knnDistances[i]).toEqual([0, ...others.map((o) => o.d)]);
      }
      // Row 80's duplicates 0 and 40 come right after it, at distance 0.
      expect(graph.knnIndices[80]!.slice(0, 4)).toEqual([80, 0, 40, 120]);
    });
  }

  it('reports its progress and stops with E_ABORTED when cancelled', async () => {
    const train = trainingRows(rowsWithDuplicates(), 150, 12, 'euclidean');
    const fractions: number[] = [];
    await knnGraph(train, 4, { onFraction: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
    const stop = new AbortController();
    stop.abort();
    const error = await knnGraph(train, 4, { signal: stop.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatentkitError);
    expect((error as LatentkitError).code).toBe('E_ABORTED');
  });
});
