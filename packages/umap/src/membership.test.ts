import { describe, expect, it } from 'vitest';
import { membershipStrengths } from './membership.js';

describe('membershipStrengths', () => {
  it('sets σ so the weights past the first sum to log2(k), decreasing with distance', () => {
    const distances = Float64Array.from([0.5, 0.9, 1.1, 1.4, 2, 2.2, 3, 3.5, 4, 5]);
    const w = membershipStrengths(distances);
    const tail = Array.from(w).slice(1).reduce((s, v) => s + v, 0);
    expect(tail).toBeCloseTo(Math.log2(distances.length), 4);
    for (let j = 1; j < w.length; j++) expect(w[j]).toBeLessThan(w[j - 1]!);
    for (const v of w) expect(v).toBeGreaterThan(0);
  });

  it('gives full membership to neighbours at distance 0', () => {
    const w = membershipStrengths(Float64Array.from([0, 0, 1, 2]));
    expect(w[0]).toBe(1);
    expect(w[1]).toBe(1);
    expect(w[2]).toBeLessThan(1);
  });

  it('keeps σ above a floor when every neighbour is at the same distance', () => {
    const w = membershipStrengths(Float64Array.from([2, 2, 2, 2, 2]));
    for (const v of w) expect(Number.isFinite(v) && v > 0).toBe(true);
  });
});
