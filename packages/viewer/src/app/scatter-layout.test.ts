import { describe, expect, it } from 'vitest';
import { nearestPoint, neighbourInDirection, toNdc } from './scatter-layout.js';

const matrix = (pairs: number[][]) => ({ data: Float32Array.from(pairs.flat()), rows: pairs.length, cols: 2 });

describe('toNdc', () => {
  it('centres the points and scales both axes alike into [−0.92, 0.92]', () => {
    const { x, y } = toNdc(matrix([[10, 5], [30, 5], [20, 10]]));
    // x spans 20 (the larger span): it fills ±0.92; y spans 5, a quarter of that.
    expect(Array.from(x)).toEqual([-0.92, 0.92, 0].map(Math.fround));
    expect(y[0]).toBeCloseTo(-0.23, 6);
    expect(y[2]).toBeCloseTo(0.23, 6);
  });

  it('uses the width of a wide plot: the longer side shows ±aspect', () => {
    const { x, y } = toNdc(matrix([[10, 5], [30, 5], [20, 10]]), 3, 2);
    // x may span ±1.84 on a plot twice as wide as high; y (a quarter of x's span) then fills ±0.46.
    expect(x[1]).toBeCloseTo(1.84, 5);
    expect(y[2]).toBeCloseTo(0.46, 5);
    // On a tall plot the wide data still fits ±0.92 across.
    expect(toNdc(matrix([[10, 5], [30, 5], [20, 10]]), 3, 0.5).x[1]).toBeCloseTo(0.92, 5);
  });

  it('takes only the first `count` rows (what the scatter can hold)', () => {
    const { x } = toNdc(matrix([[0, 0], [1, 1], [100, 100]]), 2);
    expect(x).toHaveLength(2);
    expect(x[1]).toBeCloseTo(0.92, 6);
  });

  it('puts a single point (or identical points) at the centre', () => {
    const { x, y } = toNdc(matrix([[3, 4], [3, 4]]));
    expect([...x, ...y]).toEqual([0, 0, 0, 0]);
  });
});

describe('keyboard walk', () => {
  const pts = { x: Float32Array.from([0, 1, 2, 0, -1]), y: Float32Array.from([0, 0.1, 0, 1, -0.5]) };

  it('finds the nearest point within 45° of the direction (y up)', () => {
    expect(neighbourInDirection(pts, 0, 1, 0)).toBe(1);
    expect(neighbourInDirection(pts, 0, 0, 1)).toBe(3);
    expect(neighbourInDirection(pts, 0, -1, 0)).toBe(4);
    expect(neighbourInDirection(pts, 2, 1, 0)).toBeNull();
  });

  it('finds the point nearest to a position', () => {
    expect(nearestPoint(pts, 1.9, 0.2)).toBe(2);
    expect(nearestPoint({ x: new Float32Array(0), y: new Float32Array(0) }, 0, 0)).toBeNull();
  });
});
