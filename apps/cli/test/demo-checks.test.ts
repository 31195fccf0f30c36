import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { baselineWarnings, figureWarnings } from '../src/demo-checks.js';

describe('the demo checks its own output', () => {
  it('flags a blank sample grid and an interpolation strip of one picture, not healthy ones', () => {
    const digits = createMatrix(2, 4, [0, 0.9, 0.2, 0, 0.7, 0, 0, 0.4]);
    const blank = createMatrix(2, 4, [0, 0.001, 0, 0, 0, 0, 0.002, 0]);
    const same = createMatrix(3, 4, [0, 0.8, 0.1, 0, 0, 0.8, 0.1, 0, 0, 0.8, 0.1, 0]);
    expect(figureWarnings([
      { model: 'CNN d=8', figure: 'Gaussian samples', images: blank },
      { model: 'CNN d=8', figure: 'interpolation 1 to 7', images: same },
      { model: 'PCA d=16', figure: 'Gaussian samples', images: digits },
    ])).toEqual([
      { model: 'CNN d=8', message: 'Gaussian samples: all 2 images are blank (max pixel 0.002)' },
      { model: 'CNN d=8', message: 'interpolation 1 to 7: all 3 images are the same picture' },
    ]);
  });

  it('flags a model whose test MSE is not below the baseline at the same d', () => {
    const rows = [
      { reducer: 'pca', latentDim: 16, testMse: 0.027 },
      { reducer: 'dense-ae', latentDim: 16, testMse: 0.016 },
      { reducer: 'conv-ae', latentDim: 16, testMse: 0.112 },
      { reducer: 'umap', latentDim: 16 },
    ];
    const name = (k: string) => k.toUpperCase();
    expect(baselineWarnings(rows, 'pca', name)).toEqual([{ model: 'conv-ae', message: "test MSE 0.11200 at d=16 is not below PCA's 0.02700" }]);
    expect(baselineWarnings(rows, undefined, name)).toEqual([]);
  });
});
