import { describe, expect, it } from 'vitest';
import { createMatrix, createRng, isLatentkitError } from '@latentkit/core';
import { dequantise, fitQuantiser, quantise, stepOf } from './quantiser.js';

function gaussianCodes(rows: number, cols: number, seed: number) {
  const rng = createRng(seed);
  return createMatrix(rows, cols, Float32Array.from({ length: rows * cols }, (_, k) => rng.normal() * (1 + (k % cols))));
}

describe('uniform quantiser', () => {
  it('keeps every code inside the training range within half a step of its reconstruction', () => {
    const train = gaussianCodes(500, 4, 1);
    for (const bits of [1, 3, 4, 6, 8]) {
      const q = fitQuantiser(train, bits);
      const symbols = quantise(q, train);
      const back = dequantise(q, symbols, train.rows);
      let worstExcess = -Infinity;
      for (let k = 0; k < train.data.length; k++) {
        // float32 storage of ẑ adds at most one rounding of its magnitude
        const bound = stepOf(q, k % 4) / 2 + 1e-6 * Math.abs(train.data[k]!);
        worstExcess = Math.max(worstExcess, Math.abs(train.data[k]! - back.data[k]!) - bound);
      }
      expect(worstExcess).toBeLessThanOrEqual(0);
      expect(Math.max(...symbols)).toBe(2 ** bits - 1);
    }
  });

  it('halves the worst error with every bit', () => {
    const train = gaussianCodes(400, 3, 2);
    const worst = (bits: number) => {
      const q = fitQuantiser(train, bits);
      const back = dequantise(q, quantise(q, train), train.rows);
      return Math.max(...train.data.map((v, k) => Math.abs(v - back.data[k]!)));
    };
    expect(worst(5)).toBeLessThan(worst(4) * 0.6);
    expect(worst(8)).toBeLessThan(worst(4) / 10);
  });

  it('clamps codes outside the training range to the end bins', () => {
    const q = fitQuantiser(createMatrix(2, 1, [0, 1]), 2);
    expect([...quantise(q, createMatrix(4, 1, [-5, 0.3, 0.99, 7]))]).toEqual([0, 1, 3, 3]);
  });

  it('gives a constant dimension one symbol and its value back', () => {
    const q = fitQuantiser(createMatrix(3, 2, [2, 1, 2, 5, 2, 9]), 4);
    const s = quantise(q, createMatrix(1, 2, [2, 5]));
    expect(s[0]).toBe(0);
    expect(dequantise(q, s, 1).data[0]).toBe(2);
  });

  it('refuses bit depths that do not fit a byte and non-finite codes, in one line', () => {
    const train = gaussianCodes(10, 2, 3);
    for (const bits of [0, 9, 2.5]) expect(() => fitQuantiser(train, bits)).toThrow(/bits must be an integer from 1 to 8/);
    const q = fitQuantiser(train, 4);
    try {
      quantise(q, createMatrix(1, 2, [0, Number.NaN]));
      expect.unreachable();
    } catch (e) {
      expect(isLatentkitError(e) && e.code).toBe('E_INPUT_VALUE');
      expect((e as Error).message).not.toContain('\n');
    }
    expect(() => quantise(q, createMatrix(1, 3, [0, 0, 0]))).toThrow(/2 dimensions, the codes 3/);
  });
});
