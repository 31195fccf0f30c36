import { describe, expect, it } from 'vitest';
import { col2imAdd, im2col, im2colTransposed } from './im2col.js';
import { transposeBatched } from './transpose.js';
import type { ConvGeometry } from './conv-geometry.js';
import { seededValues } from './__fixtures__/backends.js';

function geometry(partial: Partial<ConvGeometry>): ConvGeometry {
  return { batch: 1, inH: 3, inW: 3, inC: 1, outH: 2, outW: 2, outC: 1, kH: 2, kW: 2, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, ...partial };
}

describe('im2col', () => {
  it('unfolds a 3×3 image into 2×2 patches (hand-checked)', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const cols = new Float32Array(16).fill(NaN);
    im2col(x, cols, geometry({}), 0, 1);
    expect(Array.from(cols)).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });

  it('writes zeros for taps in the padding, even over garbage memory', () => {
    // 2×2 image, 2×2 kernel, pad top/left 1, stride 2 → one output pixel seeing only x[0,0] at tap (1,1).
    const x = Float32Array.from([7, 1, 1, 1]);
    const cols = new Float32Array(4).fill(NaN);
    im2col(x, cols, geometry({ inH: 2, inW: 2, outH: 1, outW: 1, strideH: 2, strideW: 2, padTop: 1, padLeft: 1 }), 0, 1);
    expect(Array.from(cols)).toEqual([0, 0, 0, 7]);
  });

  it('col2imAdd is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    const g = geometry({ batch: 2, inH: 7, inW: 5, inC: 3, outH: 3, outW: 2, kH: 3, kW: 4, strideH: 3, strideW: 2, padTop: 1, padLeft: 1 });
    const xSize = g.batch * g.inH * g.inW * g.inC;
    const colSize = g.batch * g.outH * g.outW * g.kH * g.kW * g.inC;
    const x = seededValues(xSize, 1);
    const c = seededValues(colSize, 2);
    const cols = new Float32Array(colSize);
    im2col(x, cols, g, 0, g.batch);
    const back = new Float32Array(xSize);
    col2imAdd(c, back, g, 0, 1);
    col2imAdd(c.subarray(colSize / 2), back, g, 1, 1);
    let left = 0;
    let right = 0;
    for (let i = 0; i < colSize; i++) left += cols[i] * c[i];
    for (let i = 0; i < xSize; i++) right += x[i] * back[i];
    expect(Math.abs(left - right)).toBeLessThan(1e-4 * Math.max(1, Math.abs(left)));
    expect(Math.abs(left)).toBeGreaterThan(0);
  });
});

describe('transposeBatched', () => {
  it('transposes each matrix of a batch, across tile edges', () => {
    const [batch, rows, cols] = [2, 33, 35];
    const src = seededValues(batch * rows * cols, 3);
    const dst = new Float32Array(src.length);
    transposeBatched(src, dst, batch, rows, cols);
    for (let m = 0; m < batch; m++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          expect(dst[m * rows * cols + c * rows + r]).toBe(src[m * rows * cols + r * cols + c]);
        }
      }
    }
  });
});

describe('im2colTransposed', () => {
  it('equals the transpose of im2col for padded, strided, non-square geometry', () => {
    const geometries = [
      geometry({ batch: 2, inH: 7, inW: 5, inC: 3, outH: 3, outW: 3, kH: 3, kW: 4, strideH: 3, strideW: 2, padTop: 1, padLeft: 2 }),
      geometry({ batch: 3, inH: 6, inW: 6, inC: 2, outH: 6, outW: 6, kH: 5, kW: 5, strideH: 1, strideW: 1, padTop: 2, padLeft: 2 }),
      geometry({ batch: 1, inH: 4, inW: 9, inC: 1, outH: 1, outW: 3, kH: 4, kW: 3, strideH: 1, strideW: 3, padTop: 0, padLeft: 0 }),
    ];
    for (const g of geometries) {
      const count = Math.min(2, g.batch - (g.batch > 1 ? 1 : 0));
      const first = g.batch > 1 ? 1 : 0;
      const rows = count * g.outH * g.outW;
      const taps = g.kH * g.kW * g.inC;
      const x = seededValues(g.batch * g.inH * g.inW * g.inC, 8);
      const cols = new Float32Array(rows * taps);
      im2col(x, cols, g, first, count);
      const expected = new Float32Array(rows * taps);
      transposeBatched(cols, expected, 1, rows, taps);
      const colsT = new Float32Array(rows * taps).fill(NaN);
      im2colTransposed(x, colsT, g, first, count);
      expect(Array.from(colsT)).toEqual(Array.from(expected));
    }
  });
});
