import { describe, expect, it } from 'vitest';
import { createMatrix, createRng, LatentkitError, type Matrix } from '@latentkit/core';
import { project2d, topTwoEigenvectors } from './project2d.js';

function columnVariance(m: Matrix, j: number): number {
  let mean = 0;
  for (let i = 0; i < m.rows; i++) mean += m.data[i * m.cols + j]!;
  mean /= m.rows;
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += (m.data[i * m.cols + j]! - mean) ** 2;
  return s / m.rows;
}

function totalVariance(m: Matrix): number {
  let s = 0;
  for (let j = 0; j < m.cols; j++) s += columnVariance(m, j);
  return s;
}

describe('project2d', () => {
  it('passes 2-D codes through unchanged', () => {
    const codes = createMatrix(3, 2, [1, 2, 3, 4, 5, 6]);
    const out = project2d(codes);
    expect(out.axes).toBe('identity');
    expect(Array.from(out.points.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lays 1-D codes on the x axis', () => {
    const out = project2d(createMatrix(3, 1, [1, -2, 3]));
    expect(out.axes).toBe('identity');
    expect(Array.from(out.points.data)).toEqual([1, 0, -2, 0, 3, 0]);
  });

  it('recovers a plane in 3-D: all variance kept, distances preserved, first axis the widest', () => {
    // Points c + a·u + b·w with u ⟂ w unit vectors tilted off the axes; std(a) = 3, std(b) = 1.
    const u = [2 / 3, 2 / 3, 1 / 3];
    const w = [-2 / 3, 1 / 3, 2 / 3];
    const rng = createRng(11);
    const n = 400;
    const ab: number[][] = [];
    const data = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = 3 * rng.normal();
      const b = rng.normal();
      ab.push([a, b]);
      for (let k = 0; k < 3; k++) data[i * 3 + k] = 5 + a * u[k]! + b * w[k]!;
    }
    const codes = createMatrix(n, 3, data);
    const { points, axes } = project2d(codes);
    expect(axes).toBe('pca');
    expect([points.rows, points.cols]).toEqual([n, 2]);
    expect(totalVariance(points)).toBeCloseTo(totalVariance(codes), 3);

    // Closed form: the variances along the principal axes are the eigenvalues of the 2×2 covariance of (a, b).
    const mean = [0, 1].map((k) => ab.reduce((s, r) => s + r[k]!, 0) / n);
    const [saa, sbb, sab] = [
      [0, 0],
      [1, 1],
      [0, 1],
    ].map(([p, q]) => ab.reduce((s, r) => s + (r[p!]! - mean[p!]!) * (r[q!]! - mean[q!]!), 0) / n);
    const half = Math.sqrt(((saa! - sbb!) / 2) ** 2 + sab! ** 2);
    const lambda1 = (saa! + sbb!) / 2 + half;
    const lambda2 = (saa! + sbb!) / 2 - half;
    expect(columnVariance(points, 0)).toBeCloseTo(lambda1, 3);
    expect(columnVariance(points, 1)).toBeCloseTo(lambda2, 3);

    for (const [i, j] of [
      [0, 1],
      [5, 300],
      [17, 399],
    ]) {
      const d3 = Math.hypot(...[0, 1, 2].map((k) => data[i! * 3 + k]! - data[j! * 3 + k]!));
      const d2 = Math.hypot(points.data[i! * 2]! - points.data[j! * 2]!, points.data[i! * 2 + 1]! - points.data[j! * 2 + 1]!);
      expect(d2).toBeCloseTo(d3, 3);
    }
  });

  it('handles codes on a line and identical codes without NaN', () => {
    const line = createMatrix(4, 4, [0, 0, 0, 0, 1, 2, 2, 4, 2, 4, 4, 8, 3, 6, 6, 12]);
    const out = project2d(line);
    expect(columnVariance(out.points, 1)).toBeCloseTo(0, 6);
    expect(columnVariance(out.points, 0)).toBeCloseTo(totalVariance(line), 4);
    const same = project2d(createMatrix(3, 5, new Float32Array(15).fill(7)));
    expect(Array.from(same.points.data)).toEqual(new Array(6).fill(0));
  });

  it('rejects empty and non-finite codes', () => {
    expect(() => project2d(createMatrix(0, 3))).toThrow(LatentkitError);
    expect(() => project2d(createMatrix(1, 3, [0, NaN, 1]))).toThrow(/non-finite/);
  });
});

describe('topTwoEigenvectors', () => {
  it('finds the leading pair of a matrix with known eigenvectors, larger eigenvalue first', () => {
    // [[2,1,0],[1,2,0],[0,0,0.5]]: eigenvalue 3 on (1,1,0)/√2, 1 on (1,−1,0)/√2, 0.5 on (0,0,1).
    const [u, v] = topTwoEigenvectors(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 0.5]), 3);
    const s = Math.SQRT1_2;
    expect(Array.from(u).map(Math.abs)).toEqual([expect.closeTo(s, 8), expect.closeTo(s, 8), expect.closeTo(0, 8)]);
    expect(Math.sign(u[0]!)).toBe(Math.sign(u[1]!));
    expect(Array.from(v).map(Math.abs)).toEqual([expect.closeTo(s, 8), expect.closeTo(s, 8), expect.closeTo(0, 8)]);
    expect(Math.sign(v[0]!)).toBe(-Math.sign(v[1]!));
  });

  it('orders diagonal entries and fixes signs deterministically', () => {
    const [u, v] = topTwoEigenvectors(Float64Array.from([1, 0, 0, 0, 4, 0, 0, 0, 2]), 3);
    expect(Array.from(u)).toEqual([expect.closeTo(0, 8), expect.closeTo(1, 8), expect.closeTo(0, 8)]);
    expect(Array.from(v)).toEqual([expect.closeTo(0, 8), expect.closeTo(0, 8), expect.closeTo(1, 8)]);
  });
});
