import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { dot, dots4x1, dots4x2 } from './dot-tiles.js';

const d = 13;
const rng = createRng(8);
const q = Float32Array.from({ length: 6 * d }, () => rng.normal());
const r = Float32Array.from({ length: 3 * d }, () => rng.normal());

function naive(qi: number, ri: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += q[qi * d + j]! * r[ri * d + j]!;
  return s;
}

describe('dot tiles', () => {
  it('dots4x2 and dots4x1 equal one-at-a-time dot products', () => {
    const out = new Float64Array(8);
    dots4x2(q, 2 * d, r, 0, 2 * d, d, out); // queries 2..5 against reference rows 0 and 2
    for (let t = 0; t < 4; t++) {
      expect(out[t]).toBeCloseTo(naive(2 + t, 0), 12);
      expect(out[4 + t]).toBeCloseTo(naive(2 + t, 2), 12);
    }
    dots4x1(q, d, r, d, d, out); // queries 1..4 against reference row 1
    for (let t = 0; t < 4; t++) expect(out[t]).toBeCloseTo(naive(1 + t, 1), 12);
    expect(dot(q, 5 * d, r, 2 * d, d)).toBeCloseTo(naive(5, 2), 12);
  });
});
