import { createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { computeGramChunk } from './gram-chunk.js';

/** Σ_i f(x[i,a])·f(x[i,b]) in plain float64, the straightforward way. */
function naiveGram(data: Float32Array, rows: number, cols: number, f: (v: number, j: number) => number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < rows; i++) {
    for (let a = 0; a < cols; a++) {
      for (let b = 0; b < cols; b++) g[a * cols + b] = g[a * cols + b]! + f(data[i * cols + a]!, a) * f(data[i * cols + b]!, b);
    }
  }
  return g;
}

function byteData(rows: number, cols: number, scale: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * cols }, () => (rng.next() < 0.3 ? 0 : Math.fround(rng.int(256) / scale)));
}

describe('computeGramChunk (WebAssembly SIMD kernel)', () => {
  // 7 features pad to 8; 1100 rows are two full 512-row blocks and a partial one; 13 features pad to 16.
  it.each([
    { rows: 1100, cols: 7, scale: 255 },
    { rows: 600, cols: 13, scale: 255 },
    { rows: 9, cols: 12, scale: 1 },
    { rows: 300, cols: 1, scale: 255 },
  ])('sums 8-bit data as exact integers ($rows×$cols, scale $scale)', ({ rows, cols, scale }) => {
    const data = byteData(rows, cols, scale, rows + cols);
    const chunk = computeGramChunk({ data, rows, cols, mode: { kind: 'byte', scale } });
    const ref = naiveGram(data, rows, cols, (v) => Math.round(v * scale));
    expect(chunk.dp).toBe(Math.ceil(cols / 4) * 4);
    for (let a = 0; a < cols; a++) {
      for (let b = a; b < cols; b++) expect(chunk.gram[a * chunk.dp + b], `(${a}, ${b})`).toBe(ref[a * cols + b]);
    }
    const sums = Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let i = 0; i < rows; i++) s += Math.round(data[i * cols + j]! * scale);
      return s;
    });
    expect(Array.from(chunk.sums!)).toEqual(sums);
  });

  it('holds 255² products over a full block without int32 overflow', () => {
    const rows = 4096, cols = 4;
    const data = new Float32Array(rows * cols).fill(1);
    const chunk = computeGramChunk({ data, rows, cols, mode: { kind: 'byte', scale: 255 } });
    expect(chunk.gram[0]).toBe(rows * 255 * 255);
    expect(chunk.gram[3]).toBe(rows * 255 * 255);
  });

  it('sums centred float64 products of general data (odd width, partial block)', () => {
    const rng = createRng(21);
    const rows = 301, cols = 9;
    const data = Float32Array.from({ length: rows * cols }, () => rng.normal() * 3 + 1);
    const mean = Float64Array.from({ length: cols }, (_, j) => 0.5 + j / 10);
    const chunk = computeGramChunk({ data, rows, cols, mode: { kind: 'centred', mean } });
    expect(chunk.sums).toBeUndefined();
    const ref = naiveGram(data, rows, cols, (v, j) => v - mean[j]!);
    for (let a = 0; a < cols; a++) {
      for (let b = a; b < cols; b++) {
        const g = ref[a * cols + b]!;
        expect(Math.abs(chunk.gram[a * chunk.dp + b]! - g), `(${a}, ${b})`).toBeLessThan(1e-12 * Math.sqrt(ref[a * cols + a]! * ref[b * cols + b]!));
      }
    }
  });
});
