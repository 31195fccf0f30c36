import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { medianBandwidth, mmdSquared } from './mmd.js';
import { classifierVerdict } from './quality.js';

describe('classifierVerdict', () => {
  it('mean max probability and the entropy of the predicted-class histogram, by hand', () => {
    // Predicted classes 0, 0, 1, 2 → histogram ½, ¼, ¼ → 1.5 bits; max probabilities 0.9, 0.6, 0.5, 0.7.
    const p = createMatrix(4, 3, [0.9, 0.05, 0.05, 0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.2, 0.7]);
    const v = classifierVerdict(p);
    expect(v.meanConfidence).toBeCloseTo((0.9 + 0.6 + 0.5 + 0.7) / 4, 6);
    expect(v.classEntropyBits).toBeCloseTo(1.5, 6);
    expect(v.classCounts).toEqual([2, 1, 1]);
    expect(() => classifierVerdict(createMatrix(0, 3))).toThrow('no images to judge');
  });
});

describe('mmdSquared', () => {
  it('matches the unbiased estimate written out for two images a side', () => {
    const a = createMatrix(2, 2, [0, 0, 1, 0]);
    const b = createMatrix(2, 2, [0, 1, 1, 1]);
    const h = 1.5;
    const k = (d2: number) => Math.exp(-d2 / (2 * h * h));
    // within a: ‖(0,0)−(1,0)‖² = 1; within b: 1; across: 1, 2, 2, 1.
    const expected = k(1) + k(1) - (2 * (k(1) + k(2) + k(2) + k(1))) / 4;
    expect(mmdSquared(a, b, { bandwidth: h })).toBeCloseTo(expected, 10);
  });

  it('is near 0 for two draws of one distribution and grows with a shift', () => {
    const draw = (n: number, offset: number, seed: number) => createMatrix(n, 4, Array.from({ length: n * 4 }, (_, i) => offset + (((i * 7919 + seed * 104729) % 1000) / 1000)));
    const ref = draw(80, 0, 1);
    const kernel = medianBandwidth(ref);
    const same = mmdSquared(draw(80, 0, 2), ref, kernel);
    const shifted = mmdSquared(draw(80, 0.5, 2), ref, kernel);
    expect(Math.abs(same)).toBeLessThan(0.02);
    expect(shifted).toBeGreaterThan(10 * Math.abs(same) + 0.05);
    expect(() => mmdSquared(ref, createMatrix(2, 3), kernel)).toThrow('MMD of images with 4 and 3 pixels');
  });
});
