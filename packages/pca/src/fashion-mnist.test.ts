import { existsSync } from 'node:fs';
import { type Matrix, mse } from '@latentkit/core';
import { DEFAULT_FASHION_MNIST_DIR, loadFashionMnist } from '@latentkit/data/node';
import { describe, expect, it } from 'vitest';
import { fitPca, type Pca } from './index.js';

const present = existsSync(`${DEFAULT_FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`) && existsSync(`${DEFAULT_FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz`);
// Where the data must be there (CI with the datasets), LATENTKIT_REQUIRE_FASHION_MNIST=1 makes its absence a failure, not a skip.
const required = process.env.LATENTKIT_REQUIRE_FASHION_MNIST === '1';

// scikit-learn 1.2.1 on the full train set (60,000×784, pixels/255, float32).
const SKLEARN_RATIO_SUM: Record<number, number> = { 2: 0.46795, 8: 0.69327, 16: 0.7652, 32: 0.82615, 64: 0.88126 };
const SKLEARN_TEST_MSE_16 = 0.020446;

/** Reconstruction MSE using only the first k codes (the rest zeroed): the k-component model's error. */
async function truncatedMse(pca: Pca, x: Matrix, k: number): Promise<number> {
  const z = await pca.encode(x);
  for (let r = 0; r < z.rows; r++) z.data.fill(0, r * z.cols + k, (r + 1) * z.cols);
  return mse(x, await pca.decode(z));
}

describe.skipIf(!present && !required)(`Fashion-MNIST against scikit-learn 1.2.1 (${DEFAULT_FASHION_MNIST_DIR})`, () => {
  it('exact solver matches the explained-variance sums for 2/8/16/32/64 components and the test MSE', async () => {
    const { train, test } = await loadFashionMnist();
    const { model: pca } = await fitPca(train, { latentDim: 64, solver: 'exact' });
    const ratio = pca.explainedVarianceRatio;
    for (const [k, expected] of Object.entries(SKLEARN_RATIO_SUM)) {
      expect(Math.abs(ratio.slice(0, Number(k)).reduce((a, b) => a + b, 0) - expected), `${k} components`).toBeLessThan(1e-4);
    }
    expect(Math.abs((await truncatedMse(pca, test.x, 16)) - SKLEARN_TEST_MSE_16)).toBeLessThan(1e-4);
  });

  it('randomized solver matches the 16-component figures', async () => {
    const { train, test } = await loadFashionMnist();
    const { model: pca, result } = await fitPca(train, { latentDim: 16, solver: 'randomized' }, { seed: 0 });
    expect(result.info?.solver).toBe('randomized');
    expect(Math.abs((result.info?.explainedVarianceRatioSum as number) - SKLEARN_RATIO_SUM[16]!)).toBeLessThan(1e-4);
    expect(Math.abs(mse(test.x, await pca.decode(await pca.encode(test.x))) - SKLEARN_TEST_MSE_16)).toBeLessThan(1e-4);
  });

  // The randomized solver's accuracy target is the exact solver's explained-variance sum to 1e-4. On the first
  // 10,000 training images the default (7 power iterations, as scikit-learn) meets it, and so do 4: the
  // figure to check before ever lowering the default to save eigensolver time.
  it('randomized (7 and 4 power iterations) keeps the exact explained-variance sum to 1e-4 on 10k images', async () => {
    const { train } = await loadFashionMnist();
    const subset = { name: 'fashion-mnist-10k', x: { rows: 10_000, cols: train.x.cols, data: train.x.data.subarray(0, 10_000 * train.x.cols) } };
    const sum = (r: { result: { info?: Record<string, unknown> } }) => r.result.info?.explainedVarianceRatioSum as number;
    const exact = sum(await fitPca(subset, { latentDim: 16, solver: 'exact' }));
    expect(exact).toBeGreaterThan(0.7);
    for (const powerIterations of [7, 4]) {
      const randomized = sum(await fitPca(subset, { latentDim: 16, solver: 'randomized', powerIterations }, { seed: 0 }));
      expect(Math.abs(randomized - exact), `${powerIterations} power iterations`).toBeLessThan(1e-4);
    }
  });
});
