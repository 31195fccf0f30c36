import { describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { deflateCoder, entropyDecode, entropyEncode, type EntropyCoder } from './entropy.js';
import { brotliCoder } from './node/brotli.js';

/** Symbols whose distribution differs per dimension, as quantised codes do. */
function symbols(rows: number, d: number, bits: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const top = 2 ** bits - 1;
  return Uint8Array.from({ length: rows * d }, (_, k) => {
    const j = k % d;
    const v = Math.round((0.5 + (0.08 + 0.03 * j) * rng.normal()) * top);
    return Math.max(0, Math.min(top, v));
  });
}

describe('brotli', () => {
  // DEFLATE's byte-wise Huffman codes cannot go below about one bit per symbol and lose to packed nibbles at
  // b = 4 (see the README); Brotli's context modelling must beat storing the symbols raw.
  it('needs fewer bits than the symbols stored raw at every b', () => {
    for (const bits of [4, 6, 8]) expect(entropyEncode(brotliCoder, symbols(2000, 8, bits, 9), 2000, 8).length * 8).toBeLessThan(2000 * 8 * bits);
  });
});

describe.each<[string, EntropyCoder]>([
  ['deflate', deflateCoder],
  ['brotli', brotliCoder],
])('entropy coding with %s', (_name, coder) => {
  it('decodes to exactly the symbols it was given', () => {
    for (const [rows, d, bits] of [[300, 4, 4], [257, 7, 8], [1, 1, 1], [0, 3, 6]] as const) {
      const s = symbols(rows, d, bits, rows + d);
      expect(entropyDecode(coder, entropyEncode(coder, s, rows, d), rows, d)).toEqual(s);
    }
  });

  it('spends fewer bits on fewer quantisation levels', () => {
    const sizes = [8, 6, 4].map((bits) => entropyEncode(coder, symbols(2000, 8, bits, 9), 2000, 8).length);
    expect(sizes[1]!).toBeLessThan(sizes[0]!);
    expect(sizes[2]!).toBeLessThan(sizes[1]!);
  });

  it('refuses a stream that is damaged or decodes to another length, in one line', () => {
    const s = symbols(200, 4, 6, 3);
    const payload = entropyEncode(coder, s, 200, 4);
    expect(() => entropyDecode(coder, payload, 199, 4, 'x.lkz')).toThrow(/^x\.lkz: .*decodes to more than 796 bytes/);
    expect(() => entropyDecode(coder, payload, 201, 4, 'x.lkz')).toThrow(/^x\.lkz: .*expected 804/);
    const cut = payload.subarray(0, payload.length >> 1);
    expect(() => entropyDecode(coder, cut, 200, 4, 'x.lkz')).toThrow(/^x\.lkz: /);
  });
});
