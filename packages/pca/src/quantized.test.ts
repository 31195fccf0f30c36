import { assertFinite, LatentkitError, type Matrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { covariance, covarianceOfScanned } from './covariance.js';
import { computeGramChunk } from './gram-chunk.js';
import { fitPca } from './index.js';
import { detectByteScale, probeData, scanData } from './quantized.js';

const matrix = (data: Float32Array, cols = 1): Matrix => ({ rows: data.length / cols, cols, data });

/** core's assertFinite message for data holding a non-finite value (the error every scan must give). */
function assertFiniteMessage(m: Matrix): string {
  let message = '';
  try {
    assertFinite(m, 'dataset "d"');
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/non-finite value/);
  return message;
}

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
      const expected = assertFiniteMessage(m);
      expect(() => scanData(m, 'dataset "d"')).toThrow(LatentkitError);
      expect(() => scanData(m, 'dataset "d"')).toThrow(expected);
    }
  });

  it('accepts finite float data as not byte-scaled', () => {
    expect(scanData(matrix(Float32Array.of(0, 1, 2, -3.5, 7)), 'x').byteScale).toBeUndefined();
  });
});

describe('the covariance pass checking 8-bit data itself (probeData)', () => {
  // 17 rows × 13 features: the kernel's eight-rows-by-four-features path, its last features and its last rows.
  const [rows, cols] = [17, 13];
  const places = [3 * cols + 5, 2 * cols + 12, 16 * cols + 4];
  it.each([255, 1])('accepts exactly the values the scan accepts, wherever they sit (scale %i)', (scale) => {
    const base = Float32Array.from({ length: rows * cols }, (_, i) => Math.fround((i % 256) / scale));
    let rejected = 0;
    for (const v of edgeValues()) {
      for (const at of places) {
        const data = base.slice();
        data[at] = v;
        const chunk = computeGramChunk({ data, rows, cols, mode: { kind: 'byte', scale, unchecked: true } });
        expect(chunk.notBytes === true, `${v} at ${at}`).toBe(!isByteScaledValue(v, scale));
        if (chunk.notBytes) rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });

  /** Pixels/255 for more values than the probe reads, then `last` in the final row. */
  function probedData(last: number): Matrix {
    const [n, D] = [6000, 20];
    const data = Float32Array.from({ length: n * D }, (_, i) => Math.fround(((i * 7919) % 256) / 255));
    data[n * D - 3] = last;
    return { rows: n, cols: D, data };
  }

  it('reads only the first values of 8-bit data, and still gets the full covariance', async () => {
    const x = probedData(Math.fround(9 / 255));
    const scan = probeData(x, 'dataset "d"');
    expect(scan).toEqual({ byteScale: 255, partial: { what: 'dataset "d"' } });
    const checked = await covarianceOfScanned(x, scan);
    expect(checked.byteData).toBe(true);
    expect(Array.from(checked.covariance)).toEqual(Array.from((await covariance(x)).covariance));
  });

  it('sums data again as floats when a value past the probe is not 8-bit, with the same result as a full scan', async () => {
    const x = probedData(0.5);
    const probed = await covarianceOfScanned(x, probeData(x, 'dataset "d"'));
    const scanned = await covariance(x);
    expect(probed.byteData).toBe(false);
    expect(scanned.byteData).toBe(false);
    expect(Array.from(probed.covariance)).toEqual(Array.from(scanned.covariance));
    expect(Array.from(probed.mean)).toEqual(Array.from(scanned.mean));
  });

  // More samples than features: the covariance pass; fewer: the n×n Gram (exact) or the data directly (randomized).
  it.each([
    { method: 'covariance', rows: 6000, cols: 20, solver: 'exact' },
    { method: 'gram', rows: 300, cols: 400, solver: 'exact' },
    { method: 'direct', rows: 300, cols: 400, solver: 'randomized' },
  ] as const)('a non-finite value past the probe still gets the scan\'s own error ($method)', async ({ rows: n, cols: D, solver }) => {
    const data = Float32Array.from({ length: n * D }, (_, i) => Math.fround((i % 256) / 255));
    data[n * D - 2] = NaN;
    const x: Matrix = { rows: n, cols: D, data };
    const expected = assertFiniteMessage(x);
    await expect(fitPca({ name: 'd', x }, { latentDim: 3, solver })).rejects.toThrow(expected);
  });
});

