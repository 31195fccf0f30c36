import { describe, expect, it } from 'vitest';
import { validationRate, ValidationRows } from './validation-rows.js';

const chosen = (rows: ValidationRows, n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => rows.isValidation(i));

describe('ValidationRows', () => {
  it('chooses about `rate` of the rows, spread over the source, the same for the same key', () => {
    const a = chosen(new ValidationRows(11, 0.1, Infinity), 10_000);
    expect(a.length).toBeGreaterThan(900);
    expect(a.length).toBeLessThan(1100);
    // Spread: both halves of the source contribute about equally (a "first K rows" rule would not).
    const firstHalf = a.filter((i) => i < 5000).length;
    expect(Math.abs(firstHalf - a.length / 2)).toBeLessThan(a.length * 0.1);
    expect(chosen(new ValidationRows(11, 0.1, Infinity), 10_000)).toEqual(a);
    expect(chosen(new ValidationRows(12, 0.1, Infinity), 10_000)).not.toEqual(a);
  });

  it('stops at the cap and counts what it took', () => {
    const rows = new ValidationRows(5, 0.5, 20);
    expect(chosen(rows, 1000)).toHaveLength(20);
    expect(rows.taken).toBe(20);
  });

  it('chooses nothing at rate 0', () => {
    expect(chosen(new ValidationRows(5, 0, 100), 1000)).toEqual([]);
  });
});

describe('validationRate', () => {
  it('is the split, lowered for large sources so about `cap` rows are chosen', () => {
    expect(validationRate(0.1, 1000, 4096)).toBe(0.1);
    expect(validationRate(0.1, 1_000_000, 4096)).toBeCloseTo(0.004096, 9);
    expect(validationRate(0.2, undefined, 4096)).toBe(0.2);
    expect(validationRate(0, 1000, 4096)).toBe(0);
  });
});
