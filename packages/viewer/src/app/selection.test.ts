import { describe, expect, it } from 'vitest';
import { mixCodes } from './interpolation-math.js';
import { Selection } from './selection.js';

describe('Selection', () => {
  it('keeps the two most recent distinct points as A and B', () => {
    const s = new Selection();
    const seen: number[][] = [];
    s.onChange((i) => seen.push([...i]));
    s.select(4);
    expect(s.pair).toBeUndefined();
    s.select(4); // the same point again changes nothing
    s.select(9);
    s.select(2);
    expect(s.pair).toEqual([9, 2]);
    expect(s.latest).toBe(2);
    expect(seen).toEqual([[4], [4, 9], [9, 2]]);
  });
});

describe('Selection lasso', () => {
  it('keeps the lasso rows sorted, tells listeners, and clears', () => {
    const s = new Selection();
    const seen: number[][] = [];
    s.onLassoChange((rows) => seen.push(Array.from(rows)));
    s.setLasso([9, 2, 5]);
    expect(Array.from(s.lasso)).toEqual([2, 5, 9]);
    s.setLasso([]);
    s.setLasso([]); // clearing an empty lasso changes nothing
    expect(seen).toEqual([[2, 5, 9], []]);
    // The A/B pair is separate from the lasso.
    s.select(3);
    expect(s.lasso).toHaveLength(0);
    expect(s.indices).toEqual([3]);
  });
});

describe('mixCodes', () => {
  it('walks the straight line between two codes', () => {
    const a = Float32Array.from([0, 2, -4]);
    const b = Float32Array.from([10, 2, 4]);
    expect([...mixCodes(a, b, 0)]).toEqual([0, 2, -4]);
    expect([...mixCodes(a, b, 1)]).toEqual([10, 2, 4]);
    expect([...mixCodes(a, b, 0.25)]).toEqual([2.5, 2, -2]);
  });
});
