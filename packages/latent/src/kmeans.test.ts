import { createMatrix, createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { kmeansPlusPlus, refineCentres } from './kmeans.js';

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
});
