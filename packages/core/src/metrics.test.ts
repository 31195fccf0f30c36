import { describe, expect, it } from 'vitest';
import { createMatrix } from './matrix.js';
import { meanFeatureVariance, mse, psnr, rocAuc, rowMse, varianceExplained } from './metrics.js';

describe('metrics', () => {
  const x = createMatrix(2, 2, [0, 1, 2, 3]);
  const xHat = createMatrix(2, 2, [0, 0, 2, 1]);

  it('mse and rowMse match hand computation', () => {
    expect(mse(x, xHat)).toBeCloseTo((0 + 1 + 0 + 4) / 4, 12);
    expect(Array.from(rowMse(x, xHat))).toEqual([0.5, 2]);
  });

  it('psnr of mse 0.01 with peak 1 is 20 dB', () => {
    expect(psnr(0.01)).toBeCloseTo(20, 10);
  });

  it('psnr of two images: 10·log10(peak² / MSE), infinite for identical images', () => {
    const clean = createMatrix(1, 4, [0, 1, 0.5, 0.25]);
    const restored = createMatrix(1, 4, [0.1, 0.8, 0.5, 0.25]);
    // MSE = (0.1² + 0.2²) / 4 = 0.0125; 10·log10(1 / 0.0125) = 10·log10(80) = 19.0309 dB.
    expect(psnr(mse(clean, restored))).toBeCloseTo(19.0309, 4);
    // On 0–255 pixels the same images score the same: MSE and peak² both grow by 255².
    const scale = (m: typeof clean) => createMatrix(1, 4, Array.from(m.data, (v) => v * 255));
    expect(psnr(mse(scale(clean), scale(restored)), 255)).toBeCloseTo(19.0309, 4);
    expect(psnr(mse(clean, clean))).toBe(Infinity);
  });

  it('predicting the mean explains zero variance; a perfect reconstruction explains all', () => {
    // columns: [0,2] mean 1 var 1; [1,3] mean 2 var 1
    expect(meanFeatureVariance(x)).toBeCloseTo(1, 12);
    const meanPrediction = createMatrix(2, 2, [1, 2, 1, 2]);
    expect(varianceExplained(x, meanPrediction)).toBeCloseTo(0, 12);
    expect(varianceExplained(x, x)).toBe(1);
  });

  it('rejects mismatched shapes', () => {
    expect(() => mse(x, createMatrix(1, 2))).toThrow(/shapes differ/);
  });

  it('rocAuc on a hand-checked case with a tie', () => {
    // positives: 0.9, 0.4; negatives: 0.4, 0.1
    // pairs: (0.9>0.4)=1, (0.9>0.1)=1, (0.4=0.4)=0.5, (0.4>0.1)=1 → 3.5/4
    expect(rocAuc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.875, 12);
    expect(rocAuc([1, 2, 3], [true, false, false])).toBe(0);
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/positive and one negative/);
  });
});
