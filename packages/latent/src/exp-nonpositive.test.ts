import { describe, expect, it } from 'vitest';
import { expNonPositive } from './exp-nonpositive.js';

describe('expNonPositive', () => {
  it('is within 2 ulp of Math.exp over [−708, 0]', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      // Uneven steps, so every table entry and polynomial range is hit.
      const x = -708 * (i / 200_000) ** 1.7 - (i % 7) * 1e-9;
      const want = Math.exp(x);
      worst = Math.max(worst, Math.abs(expNonPositive(x) - want) / want);
    }
    expect(worst).toBeLessThan(4.5e-16);
    expect(worst).toBeGreaterThan(0); // a different algorithm: if this is 0 the test compares Math.exp with itself
  });

  it('handles 0, tiny, subnormal, underflowing, −∞ and NaN inputs', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(Math.abs(expNonPositive(-1e-300) - 1)).toBeLessThanOrEqual(Number.EPSILON);
    expect(expNonPositive(-1)).toBeCloseTo(Math.E ** -1, 15);
    // Subnormal results: same order of magnitude as Math.exp (precision there is a few bits).
    for (const x of [-709, -720, -740, -745]) expect(Math.abs(expNonPositive(x) / Math.exp(x) - 1)).toBeLessThan(1e-2);
    expect(expNonPositive(-745.2)).toBe(0);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(-1e6)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
  });
});
