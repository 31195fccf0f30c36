import { assertFinite, LatentkitError, type Matrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { detectByteScale, scanData } from './quantized.js';

const matrix = (data: Float32Array, cols = 1): Matrix => ({ rows: data.length / cols, cols, data });

/** The definition, value by value: an integer 0..255 over `scale`, exactly as float32 holds it. */
function isByteScaledValue(v: number, scale: number): boolean {
  if (v === 0) return true;
  const k = Math.round(v * scale);
  return k >= 0 && k <= 255 && Math.fround(k / scale) === v;
}

/** Every byte value over 255 and over 1, its float32 neighbours, and values just outside the rule. */
function edgeValues(): number[] {
  const f32 = new Float32Array(1), bits = new Uint32Array(f32.buffer);
  const step = (v: number, d: number): number => {
    f32[0] = v;
    bits[0] = bits[0]! + d;
    return f32[0];
  };
  const values: number[] = [];
  for (const scale of [255, 1]) {
    for (let k = 0; k < 256; k++) {
      const v = Math.fround(k / scale);
      values.push(v);
      if (v > 0) values.push(step(v, 1), step(v, -1));
    }
  }
  values.push(-0, -1 / 255, 256 / 255, 256, 0.5, 255.5, 254.5, 1e10, -1e10, 2 ** 31, 3e38, -3e38);
  return values.map(Math.fround);
}

describe('scanData (one pass: finiteness and byte scale)', () => {
  it('classifies every edge value as the value-by-value definition does', () => {
    for (const v of edgeValues()) {
      const expected = [255, 1].find((scale) => isByteScaledValue(v, scale));
      expect(scanData(matrix(Float32Array.of(v)), 'x').byteScale, String(v)).toBe(expected);
      expect(detectByteScale(matrix(Float32Array.of(v))), String(v)).toBe(expected);
    }
  });

  it('finds the scale of long data and loses it to one odd value at the end, past a kernel block', () => {
    const n = 300_001;
    const pixels = Float32Array.from({ length: n }, (_, i) => Math.fround((i % 256) / 255));
    expect(scanData(matrix(pixels), 'x').byteScale).toBe(255);
    const raw = Float32Array.from({ length: n }, (_, i) => i % 256);
    expect(scanData(matrix(raw), 'x').byteScale).toBe(1);
    raw[n - 1] = 0.25;
    expect(scanData(matrix(raw), 'x').byteScale).toBeUndefined();
  });

  it.each([NaN, Infinity, -Infinity])('throws assertFinite’s own error for %s, wherever it sits', (bad) => {
    // After a byte-scaled prefix, after a float prefix, and first.
    for (const prefix of [Float32Array.of(0, 1 / 255, 2 / 255, 1), Float32Array.of(0.1, 0.2, 0.3, 0.4), new Float32Array(0)]) {
      const data = new Float32Array(prefix.length + 6);
      data.set(prefix);
      data[prefix.length + 1] = bad;
      const m = matrix(data, 2);
      let expected = '';
      try {
        assertFinite(m, 'dataset "d"');
      } catch (error) {
        expected = (error as Error).message;
      }
      expect(expected).toMatch(/non-finite value/);
      expect(() => scanData(m, 'dataset "d"')).toThrow(LatentkitError);
      expect(() => scanData(m, 'dataset "d"')).toThrow(expected);
    }
  });

  it('accepts finite float data as not byte-scaled', () => {
    expect(scanData(matrix(Float32Array.of(0, 1, 2, -3.5, 7)), 'x').byteScale).toBeUndefined();
  });
});
