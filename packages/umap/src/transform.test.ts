import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { placeRowReference } from './__fixtures__/place-row-reference.js';
import { placeRow, rowSeed, type Layout } from './transform.js';
import { placeKernel, seedKernelRng } from './wasm/place-kernel.js';

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
    placeRow(layout, neighbors(0), rowSeed(1, 11), out, 0);
    placeRow(layout, neighbors(10), rowSeed(1, 12), out, 2);
    expect(Math.hypot(out[0]!, out[1]!)).toBeLessThan(2);
    expect(Math.hypot(out[2]! - 20, out[3]! - 20)).toBeLessThan(2);
  });

  it('is a function of its RNG: the same seed and row hash give the same code, another seed another', () => {
    const run = (seed: number) => {
      const out = new Float32Array(2);
      placeRow(layout, neighbors(0), rowSeed(seed, 99), out, 0);
      return Array.from(out);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });
});

describe('placeRow kernel', () => {
  it('draws the same integers as createRng(seed).int, so negatives are sampled as before', () => {
    const kernel = placeKernel();
    for (const seed of [0, 1, 0x5eed, 0xffffffff, rowSeed(7, 0xdeadbeef)]) {
      seedKernelRng(kernel, seed);
      const rng = createRng(seed);
      const n = 1 + (seed % 9000);
      const want = Array.from({ length: 200 }, () => rng.int(n));
      expect(Array.from({ length: 200 }, () => kernel.drawInt(n))).toEqual(want);
    }
  });

  for (const dim of [2, 3, 16]) {
    it(`gives bit-identical codes to the JavaScript loop it replaced (dim ${dim})`, () => {
      const rng = createRng(dim);
      const rows = 50;
      const big: Layout = { embedding: Float32Array.from({ length: rows * dim }, () => rng.normal() * 4), rows, dim, a: 1.577, b: 0.895, epochs: 100 };
      const near = (first: number) => ({
        index: Int32Array.from({ length: 8 }, (_, j) => (first + 3 * j) % rows),
        distance: Float64Array.from({ length: 8 }, (_, j) => (j === 0 ? 0 : 0.5 + 0.25 * j)),
      });
      for (let r = 0; r < 6; r++) {
        const got = new Float32Array(dim);
        const want = new Float32Array(dim);
        placeRow(big, near(r * 7), rowSeed(3, r), got, 0);
        placeRowReference(big, near(r * 7), createRng(rowSeed(3, r)), want, 0);
        expect(Array.from(got)).toEqual(Array.from(want));
      }
    });
  }
});
