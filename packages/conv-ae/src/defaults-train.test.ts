import { describe, expect, it } from 'vitest';
import { mse, subsetDataset, type Dataset, type Matrix } from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { meanLogits } from '@latentkit/ae-core';
import { buildConvArchitecture, convAeOptions, fitConvAe } from './index.js';

/** Per-element MSE of predicting every row as the per-pixel mean, and as a blank image, on x. */
function baselines(x: Matrix): { constant: number; blank: number } {
  const mean = new Float64Array(x.cols);
  let blank = 0;
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[i * x.cols + j]!;
      mean[j]! += v / x.rows;
      blank += v * v;
    }
  }
  let constant = 0;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) constant += (x.data[i * x.cols + j]! - mean[j]!) ** 2;
  const n = x.rows * x.cols;
  return { constant: constant / n, blank: blank / n };
}

/** Mean over pixels of the variance across rows: 0 when every reconstruction is the same image. */
function meanPixelVariance(x: Matrix): number {
  return baselines(x).constant;
}

/**
 * The demo fits conv-ae at d=8 with its defaults (channels 16,16,32,32, ELU, Adam 5e-3 cosine, batch 64) and
 * seed 0. Before the output bias started at the data's mean, that fit collapsed within its first 16 steps:
 * codes ×200, the sigmoid output saturated at 0, and the loss sat at the blank-image error (0.1115 here)
 * for every later epoch. This is the same fit on the first 1,000 training digits, for 2 epochs (≈10 s on
 * a quiet core); without the fix it ends at 0.1115 too.
 */
describe('conv-ae trains at d=8 with the demo defaults', () => {
  it('leaves the blank-image loss: loss and reconstruction error end clearly below the constant-prediction error', async () => {
    const { train } = await loadMnistSplit({ seed: 0 });
    const data: Dataset = subsetDataset(train, Array.from({ length: 1000 }, (_, i) => i));
    const { constant, blank } = baselines(data.x);
    expect(constant).toBeCloseTo(0.0668, 3);
    expect(blank).toBeCloseTo(0.1114, 3);

    const { model, result } = await fitConvAe(data, { latentDim: 8, epochs: 2 }, { seed: 0 });
    try {
      expect(result.info?.retries ?? 0).toBe(0);
      const losses = result.history!.map((p) => p.loss);
      // The second epoch's mean loss is under the constant prediction's and far from the blank image's
      // (the collapsed fit: 0.1115 = 1.67 × constant).
      expect(losses[1]).toBeLessThan(0.85 * constant);
      const z = await model.encode(data.x);
      const xHat = await model.decode(z);
      const reconstruction = mse(data.x, xHat);
      expect(reconstruction).toBeLessThan(0.85 * constant);
      // Not one image for all inputs, and codes of a sane size (the collapsed fit had codes in the hundreds).
      expect(meanPixelVariance(xHat)).toBeGreaterThan(0.15 * constant);
      expect(Math.max(...Array.from(z.data, Math.abs))).toBeLessThan(50);
    } finally {
      model.dispose();
    }
  }, 180_000);

  // Issue 11: the defaults must train at every d the demo and users pick, not only at the demo's d=8. A collapsed
  // fit ends at or above the constant prediction's error with one image for every input; d=2 cannot get far below
  // it (PCA at d=2: 0.83×) and its blurry images vary less, so it trains a little longer and gets looser bounds.
  it.each([
    { d: 2, rows: 1000, epochs: 3, bound: 0.95, variance: 0.1 },
    { d: 16, rows: 600, epochs: 2, bound: 0.85, variance: 0.15 },
    { d: 32, rows: 600, epochs: 2, bound: 0.85, variance: 0.15 },
  ])('trains at d=$d with the defaults: ends below $bound × the constant-prediction error, images not all alike', async ({ d, rows, epochs, bound, variance }) => {
    const { train } = await loadMnistSplit({ seed: 0 });
    const data: Dataset = subsetDataset(train, Array.from({ length: rows }, (_, i) => i));
    const { constant } = baselines(data.x);
    const { model, result } = await fitConvAe(data, { latentDim: d, epochs }, { seed: 0 });
    try {
      expect(result.info?.retries ?? 0).toBe(0);
      const xHat = await model.decode(await model.encode(data.x));
      expect(mse(data.x, xHat)).toBeLessThan(bound * constant);
      expect(meanPixelVariance(xHat)).toBeGreaterThan(variance * constant);
    } finally {
      model.dispose();
    }
  }, 180_000);

  it('starts the output bias at the logit of the mean pixel of the training rows (ae-core meanLogits per channel)', () => {
    const arch = buildConvArchitecture({ kind: 'conv-ae', inputShape: [28, 28, 1], latentDim: 8, options: convAeOptions.parse({}) });
    const withData = arch.params.filter((p) => p.fromData);
    // Only the sigmoid output's bias: one value for the one image channel.
    expect(withData.map((p) => [p.name, p.shape])).toEqual([[arch.params.filter((p) => p.name.endsWith('.bias')).at(-1)!.name, [1]]]);
    const x: Matrix = { data: Float32Array.from({ length: 3 * 784 }, (_, i) => (i % 5) / 10), rows: 3, cols: 784 };
    const rows = Int32Array.of(0, 2);
    expect(Array.from(withData[0]!.fromData!(x, rows))).toEqual(Array.from(meanLogits(x, rows, 1)));
  });
});
