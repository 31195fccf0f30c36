import { isLatentkitError, type Matrix, sliceRows } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { matrixSource } from './__fixtures__/row-source.js';
import { lowRankPlusNoise } from './__fixtures__/synthetic.js';
import { fitPca } from './fit-pca.js';
import { accumulatePcaStats, accumulatePcaStatsPair, addColumnSums } from './stats-accumulate.js';
import { reconstructionMseOfStats } from './stats-mse.js';

const BIG = 2 ** 40;

/** Rows shifted by a large mean, so a formula that mishandles centring shows at once. */
function offsetRows(x: Matrix, offset: number): Matrix {
  return { ...x, data: Float32Array.from(x.data, (v, i) => v + offset * (1 + (i % x.cols) / x.cols)) };
}

describe('accumulatePcaStatsPair', () => {
  it('gives bit for bit the statistics of two separate passes, each source read once', async () => {
    const x = lowRankPlusNoise(1300, 19, 4, 0.2, 5);
    const train = matrixSource(sliceRows(x, 0, 1000), 'train', 128), held = matrixSource(sliceRows(x, 1000, 1300), 'held', 64);
    const [a, b] = await accumulatePcaStatsPair(train, held);
    expect([train.passes, held.passes]).toEqual([1, 1]);
    const ra = await accumulatePcaStats(matrixSource(sliceRows(x, 0, 1000), 'train', 128));
    const rb = await accumulatePcaStats(matrixSource(sliceRows(x, 1000, 1300), 'held', 64));
    expect([a.n, b.n]).toEqual([1000, 300]);
    expect(Array.from(a.sum)).toEqual(Array.from(ra.sum));
    expect(Array.from(a.xtx)).toEqual(Array.from(ra.xtx));
    expect(Array.from(b.sum)).toEqual(Array.from(rb.sum));
    expect(Array.from(b.xtx)).toEqual(Array.from(rb.xtx));
  });

  it('refuses a non-finite value in either source naming it, its row and column', async () => {
    const good = lowRankPlusNoise(50, 3, 1, 0.1, 2);
    const bad = { data: Float32Array.from(good.data), rows: 50, cols: 3 };
    bad.data[3 * 7 + 2] = -Infinity;
    const error = await accumulatePcaStatsPair(matrixSource(good, 'train.npy', 20), matrixSource(bad, 'held.npy', 20)).catch((e: unknown) => e);
    expect(isLatentkitError(error) && error.code).toBe('E_INPUT_VALUE');
    expect((error as Error).message).toMatch(/^held\.npy \(rows from 0\) has a non-finite value \(-Infinity\) at row 7, column 2$/);
  });
});

describe('addColumnSums', () => {
  it('adds each column as a running float64 sum, bit for bit, and refuses +Infinity naming row and column', () => {
    // 7 rows: one sweep of four rows, then three one at a time; values whose sums round differently by order.
    const rows = 7, cols = 3;
    const data = Float32Array.from({ length: rows * cols }, (_, i) => (i % 2 ? 1e8 : 1) * Math.fround(1 / (i + 3)));
    const sum = Float64Array.from([0.1, 0.2, 0.3]);
    addColumnSums(sum, data, rows, cols, 'x');
    const plain = Float64Array.from([0.1, 0.2, 0.3]);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) plain[j] = plain[j]! + data[r * cols + j]!;
    expect(Array.from(sum)).toEqual(Array.from(plain));
    data[5 * cols + 1] = Infinity;
    expect(() => addColumnSums(new Float64Array(cols), data, rows, cols, 'x.npy')).toThrow(/^x\.npy has a non-finite value \(Infinity\) at row 5, column 1$/);
  });
});

describe('reconstructionMseOfStats', () => {
  it('equals the float64 residual of the saved model on rows with a large mean offset, to 1e-9 relative', async () => {
    const x = offsetRows(lowRankPlusNoise(900, 23, 4, 0.3, 17), 40);
    const train = sliceRows(x, 0, 700), held = sliceRows(x, 700, 900);
    const { model } = await fitPca({ name: 'offset', x: train }, { latentDim: 3 }, { maxBytes: BIG });
    try {
      const { mean } = model, v = model.components.data, k = model.latentDim, D = model.inputDim;
      // Direct: Σ‖(I − VᵀV)(x − mean)‖² in float64 from the model's own float32 mean and components.
      const direct = (m: Matrix) => {
        let s = 0;
        const y = new Float64Array(D), back = new Float64Array(D);
        for (let r = 0; r < m.rows; r++) {
          for (let j = 0; j < D; j++) y[j] = m.data[r * D + j]! - mean[j]!;
          back.fill(0);
          for (let c = 0; c < k; c++) {
            let code = 0;
            for (let j = 0; j < D; j++) code += v[c * D + j]! * y[j]!;
            for (let j = 0; j < D; j++) back[j] = back[j]! + code * v[c * D + j]!;
          }
          for (let j = 0; j < D; j++) s += (y[j]! - back[j]!) ** 2;
        }
        return s / (m.rows * D);
      };
      for (const rows of [train, held]) {
        const fromStats = reconstructionMseOfStats(model, await accumulatePcaStats(matrixSource(rows)));
        const expected = direct(rows);
        expect(expected).toBeGreaterThan(0);
        expect(Math.abs(fromStats - expected) / expected).toBeLessThan(1e-9);
      }
    } finally {
      model.dispose();
    }
  });
});
