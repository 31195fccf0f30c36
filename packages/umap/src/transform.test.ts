import { describe, expect, it } from 'vitest';
import { placeRow, rowRng, type Layout } from './transform.js';

// Two groups of 10 training points in 2-D: around (0, 0) and around (20, 20).
const embedding = Float32Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 20) + ((i * 7) % 5) * 0.1);
const layout: Layout = { embedding, rows: 20, dim: 2, a: 1.577, b: 0.895, epochs: 100 };
const neighbors = (first: number) => ({
  index: Int32Array.from({ length: 5 }, (_, j) => first + j),
  distance: Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]),
});

describe('placeRow', () => {
  it("places a row among its neighbours' positions, not among the others", () => {
    const out = new Float32Array(4);
    placeRow(layout, neighbors(0), rowRng(1, 11), out, 0);
    placeRow(layout, neighbors(10), rowRng(1, 12), out, 2);
    expect(Math.hypot(out[0]!, out[1]!)).toBeLessThan(2);
    expect(Math.hypot(out[2]! - 20, out[3]! - 20)).toBeLessThan(2);
  });

  it('is a function of its RNG: the same seed and row hash give the same code, another seed another', () => {
    const run = (seed: number) => {
      const out = new Float32Array(2);
      placeRow(layout, neighbors(0), rowRng(seed, 99), out, 0);
      return Array.from(out);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});
