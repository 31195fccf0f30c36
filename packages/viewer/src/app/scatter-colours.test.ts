import { categoricalColor } from '@latentkit/viz';
import { describe, expect, it } from 'vitest';
import { labelColouring, NO_SCORE_COLOUR, SCORE_BINS, SCORE_PALETTE, scoreColouring } from './scatter-colours.js';

describe('labelColouring', () => {
  it('gives each distinct label a category in ascending order and keeps the label value\'s colour', () => {
    const c = labelColouring(4, Int32Array.from([7, 2, 7, 5]), (l) => `digit ${l}`);
    expect(Array.from(c.categories)).toEqual([2, 0, 2, 1]);
    expect(c.colours).toEqual([categoricalColor(2), categoricalColor(5), categoricalColor(7)]);
    expect(c.legend.map((e) => e.text)).toEqual(['digit 2', 'digit 5', 'digit 7']);
  });

  it('puts every point in one category without labels', () => {
    const c = labelColouring(3, undefined, String);
    expect(Array.from(c.categories)).toEqual([0, 0, 0]);
    expect(c.legend).toEqual([]);
  });
});

describe('scoreColouring', () => {
  it('bins test points by score decile, others into bin 0, most unusual drawn last', () => {
    // 25 points; the 20 test points are 5..24 with scores 20 − k (so point 5 is the most unusual).
    const testIndices = Int32Array.from({ length: 20 }, (_, k) => k + 5);
    const scores = Array.from({ length: 20 }, (_, k) => 20 - k);
    const c = scoreColouring(25, testIndices, scores);
    expect(Array.from(c.bins.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(c.bins[5]).toBe(SCORE_BINS);
    expect(c.bins[24]).toBe(1);
    // Two test points per decile.
    for (let b = 1; b <= SCORE_BINS; b++) expect(Array.from(c.bins).filter((v) => v === b)).toHaveLength(2);
    expect(Array.from(c.drawOrder.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(c.drawOrder[24]).toBe(5);
    expect(c.colours).toEqual([NO_SCORE_COLOUR, ...SCORE_PALETTE]);
    expect(c.legend[0]!.text).toBe('no score (training point)');
    expect(c.legend[1]!.text).toBe('1.00 to 2.00');
    expect(c.legend.at(-1)!.text).toBe('19.0 to 20.0');
    expect(c.scored).toBe(20);
  });

  it('treats non-finite scores as none', () => {
    const c = scoreColouring(3, Int32Array.from([0, 1, 2]), [1, Number.NaN, 3]);
    expect(c.bins[1]).toBe(0);
    expect(c.scored).toBe(2);
    expect(new Set(c.drawOrder)).toEqual(new Set([0, 1, 2]));
  });
});
