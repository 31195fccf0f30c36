import { createMatrix, createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { assignToCentres, kmeansPlusPlus, refineCentres } from './kmeans.js';

// Three tight, far-apart blobs of 20 points around (0,0), (100,0) and (0,100).
const CENTRES = [[0, 0], [100, 0], [0, 100]];
const X = createMatrix(60, 2);
const jitterRng = createRng(5);
for (let i = 0; i < 60; i++) {
  const c = CENTRES[i % 3]!;
  X.data[2 * i] = c[0]! + jitterRng.next() - 0.5;
  X.data[2 * i + 1] = c[1]! + jitterRng.next() - 0.5;
}
const blobOf = (x: number, y: number) => (x > 50 ? 1 : y > 50 ? 2 : 0);

describe('k-means++', () => {
  it('seeds one centre per well-separated blob, whatever the seed', () => {
    for (let seed = 0; seed < 12; seed++) {
      const c = kmeansPlusPlus(X, 3, createRng(seed));
      const blobs = new Set([0, 1, 2].map((i) => blobOf(c[2 * i]!, c[2 * i + 1]!)));
      expect(blobs.size).toBe(3);
    }
  });

  it('Lloyd refinement moves centres to the blob means', () => {
    const c = kmeansPlusPlus(X, 3, createRng(1));
    const labels = refineCentres(X, c, 3, 10);
    for (let i = 0; i < 3; i++) {
      const members = Array.from(labels.keys()).filter((r) => labels[r] === i);
      const mx = members.reduce((s, r) => s + X.data[2 * r]!, 0) / members.length;
      const my = members.reduce((s, r) => s + X.data[2 * r + 1]!, 0) / members.length;
      expect(members.length).toBe(20);
      expect(c[2 * i]).toBeCloseTo(mx, 9);
      expect(c[2 * i + 1]).toBeCloseTo(my, 9);
    }
  });

  it('assigns every row to its nearest centre, the first one on ties (tiles of four centres and the rest)', () => {
    const k = 7, d = 3, n = 201; // pairs of rows and a lone last one; a 4-centre tile and a clamped one
    const rng = createRng(3);
    const x = createMatrix(n, d, Float32Array.from({ length: n * d }, () => Math.round(rng.normal() * 4)));
    const centres = Float64Array.from({ length: k * d }, () => Math.round(rng.normal() * 3));
    centres.copyWithin(4 * d, 0, 3 * d); // centres 4, 5, 6 repeat 0, 1, 2: ties at every tile position must go to the first
    const labels = assignToCentres(x, centres, k);
    const tied = new Set<string>();
    for (let i = 0; i < n; i++) {
      const dist = Array.from({ length: k }, (_, c) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (x.data[i * d + j]! - centres[c * d + j]!) ** 2;
        return s;
      });
      const best = dist.indexOf(Math.min(...dist));
      expect(labels[i]).toBe(best);
      if (best < 3) tied.add(`${best} ${i % 2}`); // either row of a pair
    }
    expect(tied.size).toBe(6);
  });

  it('k-means++ draws the same centres as the one-trial-at-a-time greedy seeding', () => {
    const n = 301, d = 4;
    const rng = createRng(8);
    const x = createMatrix(n, d, Float32Array.from({ length: n * d }, (_, e) => rng.normal() + (e % 7 === 0 ? 6 : 0)));
    for (const k of [2, 5, 9]) {
      const got = kmeansPlusPlus(x, k, createRng(k));
      expect(Array.from(got)).toEqual(Array.from(referenceGreedySeeding(x.data, n, d, k, createRng(k))));
    }
  });
});

/** Greedy k-means++ written plainly: each trial drawn, then measured, one at a time. */
function referenceGreedySeeding(data: Float32Array, n: number, d: number, k: number, rng: ReturnType<typeof createRng>): Float64Array {
  const dist = (i: number, r: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j]! - data[r * d + j]!) ** 2;
    return s;
  };
  const draw = (w: Float64Array, total: number) => {
    if (!(total > 0)) return rng.int(n);
    let target = rng.next() * total;
    for (let i = 0; i < n; i++) if ((target -= w[i]!) < 0) return i;
    return n - 1;
  };
  const chosen = [rng.int(n)];
  let nearest: Float64Array = Float64Array.from({ length: n }, (_, i) => dist(i, chosen[0]!));
  let total = nearest.reduce((a, b) => a + b, 0);
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    let best: { row: number; nearest: Float64Array; total: number } | undefined;
    for (let t = 0; t < trials; t++) {
      const row = draw(nearest, total);
      const next = Float64Array.from({ length: n }, (_, i) => Math.min(nearest[i]!, dist(i, row)));
      let nextTotal = 0;
      for (let i = 0; i < n; i++) nextTotal += next[i]!;
      if (!best || nextTotal < best.total) best = { row, nearest: next, total: nextTotal };
    }
    chosen.push(best!.row);
    nearest = best!.nearest;
    total = best!.total;
  }
  return Float64Array.from(chosen.flatMap((r) => Array.from(data.subarray(r * d, (r + 1) * d))));
}
