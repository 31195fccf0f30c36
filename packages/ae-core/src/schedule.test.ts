import { describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { fans, initialValues, learningRateAt } from './index.js';

describe('learningRateAt', () => {
  it('follows the closed forms', () => {
    expect(learningRateAt('constant', 0.01, 0.7)).toBe(0.01);
    expect(learningRateAt('cosine', 0.01, 0)).toBe(0.01);
    expect(learningRateAt('cosine', 0.01, 0.5)).toBeCloseTo(0.005, 12);
    expect(learningRateAt('cosine', 0.01, 1)).toBeCloseTo(0, 12);
    expect([0, 0.24, 0.25, 0.5, 0.99].map((p) => learningRateAt('step', 1, p))).toEqual([1, 1, 0.5, 0.25, 0.125]);
  });
});

describe('initialisers', () => {
  it('compute fans for dense and conv shapes', () => {
    expect(fans([784, 256])).toEqual({ fanIn: 784, fanOut: 256 });
    expect(fans([5, 5, 1, 32])).toEqual({ fanIn: 25, fanOut: 800 });
  });

  it('draw with the documented scale, reproducibly', () => {
    const glorot = initialValues('glorotUniform', [200, 100], createRng(1));
    const limit = Math.sqrt(6 / 300);
    expect(Math.max(...glorot.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...glorot.map(Math.abs))).toBeGreaterThan(limit * 0.99);
    const he = initialValues('heNormal', [400, 50], createRng(1));
    const variance = he.reduce((s, v) => s + v * v, 0) / he.length;
    expect(variance).toBeGreaterThan((2 / 400) * 0.95);
    expect(variance).toBeLessThan((2 / 400) * 1.05);
    expect(Array.from(initialValues('heNormal', [3, 3], createRng(4)))).toEqual(Array.from(initialValues('heNormal', [3, 3], createRng(4))));
    expect(Array.from(initialValues('zeros', [2], createRng(1)))).toEqual([0, 0]);
  });
});
