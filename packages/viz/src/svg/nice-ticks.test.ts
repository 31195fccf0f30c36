import { describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { formatTick, logTicks, niceNumber, niceTicks } from './nice-ticks.js';

describe('nice numbers and ticks', () => {
  it('rounds to 1, 2, 5 or 10 × 10^k', () => {
    expect(niceNumber(0.23, true)).toBeCloseTo(0.2, 15);
    expect(niceNumber(3.4, true)).toBe(5);
    expect(niceNumber(8, true)).toBe(10);
    expect(niceNumber(15.9, false)).toBe(20);
    expect(niceNumber(1, false)).toBe(1);
  });

  it('gives the textbook ticks for known ranges', () => {
    expect(niceTicks(0, 1).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100).values).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-3.7, 12.2).values).toEqual([-5, 0, 5, 10, 15]);
    expect(niceTicks(0.0013, 0.0087).values).toEqual([0, 0.002, 0.004, 0.006, 0.008, 0.01]);
    expect(niceTicks(1, 10).values).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('widens a flat range instead of dividing by zero', () => {
    const t = niceTicks(5, 5);
    expect(t.min).toBeLessThan(5);
    expect(t.max).toBeGreaterThan(5);
    expect(niceTicks(0, 0).values).toContain(0);
  });

  it('always covers the range with 3–11 evenly spaced round ticks (random ranges)', () => {
    const rng = createRng(3);
    for (let i = 0; i < 500; i++) {
      const scale = 10 ** (rng.int(12) - 6);
      const a = (rng.next() - 0.5) * scale;
      const b = a + rng.next() * scale + 1e-12;
      const t = niceTicks(a, b);
      expect(t.min).toBeLessThanOrEqual(a);
      expect(t.max).toBeGreaterThanOrEqual(b);
      expect(t.values.length).toBeGreaterThanOrEqual(3);
      expect(t.values.length).toBeLessThanOrEqual(11);
      const mantissa = t.step / 10 ** Math.floor(Math.log10(t.step) + 1e-9);
      expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
      for (let k = 1; k < t.values.length; k++) expect(t.values[k]! - t.values[k - 1]!).toBeCloseTo(t.step, 9);
    }
  });

  it('puts log ticks on decades, adding 2× and 5× over short ranges', () => {
    expect(logTicks(0.003, 2).values).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(0.2, 0.9).values).toEqual([0.2, 0.5, 1]);
    expect(logTicks(0.0078, 0.09)).toMatchObject({ min: 0.005, max: 0.1, values: [0.005, 0.01, 0.02, 0.05, 0.1] });
    expect(logTicks(3, 3)).toMatchObject({ min: 2, max: 5 });
    expect(() => logTicks(0, 1)).toThrow(/positive/);
  });

  it('formats labels with the decimals the step needs', () => {
    expect(formatTick(0.2, 0.2)).toBe('0.2');
    expect(formatTick(0.30000000000000004, 0.1)).toBe('0.3');
    expect(formatTick(20, 20)).toBe('20');
    expect(formatTick(0, 0.002)).toBe('0');
    expect(formatTick(2_000_000, 500_000)).toBe('2e+6');
  });
});
