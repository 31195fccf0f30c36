import { describe, expect, it } from 'vitest';
import { mse, subsetDataset, type Matrix } from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { fitDenseAe } from './index.js';

/** Per-element MSE of predicting every row as the per-pixel mean (the mean per-pixel variance). */
function constantPredictionMse(x: Matrix): number {
  const mean = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) mean[j]! += x.data[i * x.cols + j]! / x.rows;
  let s = 0;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) s += (x.data[i * x.cols + j]! - mean[j]!) ** 2;
  return s / (x.rows * x.cols);
}

/**
 * dense-ae with its defaults (784-256-64-d, ReLU, Adam 1e-3, batch 128) at the smallest and a large d of the
 * demo's range, on the first 2,000 training digits of the seed-0 split, 10 epochs. Reference points on this
 * subset: the constant prediction scores 0.0671; PCA keeps ≈17% of the variance at d=2.
 */
describe('dense-ae trains with its defaults across d', () => {
  for (const [latentDim, bound] of [
    [2, 0.9],
    [32, 0.6],
  ] as const) {
    it(`d=${latentDim}: the reconstruction error ends below ${bound} × the constant-prediction error`, async () => {
      const { train } = await loadMnistSplit({ seed: 0 });
      const data = subsetDataset(train, Array.from({ length: 2000 }, (_, i) => i));
      const constant = constantPredictionMse(data.x);
      const { model, result } = await fitDenseAe(data, { latentDim, epochs: 10 }, { seed: 0 });
      try {
        expect(result.info?.retries ?? 0).toBe(0);
        const xHat = await model.decode(await model.encode(data.x));
        expect(mse(data.x, xHat)).toBeLessThan(bound * constant);
      } finally {
        model.dispose();
      }
    }, 120_000);
  }
});
