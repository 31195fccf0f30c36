import { describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { trivialErrors } from '../collapse.js';
import { TrivialSums } from './trivial-sums.js';

describe('TrivialSums', () => {
  it('gives trivialErrors of the rows added, one at a time', () => {
    const rng = createRng(3);
    const rows = 37, cols = 5;
    const data = Float32Array.from({ length: rows * cols }, () => 0.3 + rng.normal());
    const sums = new TrivialSums(cols);
    for (let r = 0; r < rows; r++) sums.add(data, r * cols);
    const expected = trivialErrors({ data, rows, cols });
    expect(expected.constant).toBeGreaterThan(0.5);
    expect(sums.errors().constant).toBeCloseTo(expected.constant, 12);
    expect(sums.errors().blank).toBeCloseTo(expected.blank, 12);
  });

  it('is zero before any row', () => {
    expect(new TrivialSums(3).errors()).toEqual({ constant: 0, blank: 0 });
  });
});
